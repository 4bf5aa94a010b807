// Command seed prepares the rundown benchmark against a running Lan Tỏa: a
// station with a realistic day (two slots, three approved scripts in each),
// written, submitted and approved through the HTTP API as users would, and
// a station token. It prints the token and the rundown's path, and writes
// the rundown's exact bytes for the static peer.
//
//	go run ./bench/rundown/seed -base http://127.0.0.1:18080 -password … -out rundown.json
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:18080", "the service's base URL")
	password := flag.String("password", "", "the first admin's password")
	out := flag.String("out", "rundown.json", "where to write the rundown's bytes")
	flag.Parse()
	if err := run(*base, *password, *out); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

type client struct {
	base string
	http http.Client
}

// call sends a JSON request and decodes the answer into out (when not nil);
// statuses other than want are errors.
func (c *client) call(method, path, token string, body, out any, want int) error {
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (c *client) login(user, password string) (string, error) {
	var r struct{ Token string }
	err := c.call("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": password}, &r, 200)
	return r.Token, err
}

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// paragraph is a realistic loudspeaker script paragraph (about 60 words).
const paragraph = "Kính thưa bà con nhân dân trong thôn! Bạo lực gia đình là hành vi vi phạm pháp luật, " +
	"gây tổn hại đến sức khỏe, tinh thần và hạnh phúc của mỗi gia đình. Mỗi người dân hãy lên tiếng khi thấy " +
	"bạo lực, báo ngay cho trưởng thôn, công an xã hoặc gọi đường dây nóng 111 để được hỗ trợ kịp thời."

func run(base, password, out string) error {
	c := &client{base: strings.TrimRight(base, "/"), http: http.Client{Timeout: 30 * time.Second}}
	admin, err := c.login("admin", password)
	if err != nil {
		return err
	}
	var st struct{ ID string }
	if err := c.call("POST", "/api/v1/stations", admin, map[string]any{"name": "Cụm loa Thôn Đông", "village": "Thôn Đông",
		"households": 312, "notes": "Cụm loa IP, 4 loa nén"}, &st, 201); err != nil {
		return err
	}
	tokens := map[string]string{}
	for _, u := range []struct{ name, role string }{{"bench-editor", "editor"}, {"bench-manager", "manager"}} {
		err := c.call("POST", "/api/v1/users", admin, map[string]any{"username": u.name, "password": password, "role": u.role,
			"display_name": u.name}, nil, 201)
		if err != nil && !strings.Contains(err.Error(), ": 409 ") {
			return err
		}
		if tokens[u.role], err = c.login(u.name, password); err != nil {
			return err
		}
	}
	// Tomorrow's rundown: operators pull it the evening before, and today's
	// early slot may already be past (only future occurrences are scheduled).
	now := time.Now().In(hcm)
	day := now.AddDate(0, 0, 1).Format("2006-01-02")
	var camp struct{ ID string }
	if err := c.call("POST", "/api/v1/campaigns", tokens["editor"], map[string]any{"title": "Tuyên truyền phòng, chống bạo lực gia đình",
		"start": now.Format("2006-01-02"), "end": now.AddDate(0, 0, 20).Format("2006-01-02"),
		"audiences": []string{"residents"}, "channels": []string{"loudspeaker"}}, &camp, 201); err != nil {
		return err
	}
	titles := []string{"Phòng, chống bạo lực gia đình — trách nhiệm của mỗi người",
		"Bình đẳng giới trong gia đình và cộng đồng", "Đường dây nóng 111 và địa chỉ hỗ trợ nạn nhân"}
	for i, title := range titles {
		body := strings.Repeat(paragraph+"\n\n", 2+i) + "Xin trân trọng cảm ơn bà con đã lắng nghe."
		var it struct{ ID string }
		if err := c.call("POST", "/api/v1/items", tokens["editor"], map[string]any{"campaign_id": camp.ID, "kind": "script",
			"title": title, "body": body, "audiences": []string{"residents"}, "channels": []string{"loudspeaker"},
			"schedule": map[string]any{"times": []string{"06:00", "17:30"}, "from": day, "to": day}, "station_ids": []string{st.ID}},
			&it, 201); err != nil {
			return err
		}
		if err := c.call("POST", "/api/v1/items/"+it.ID+"/submit", tokens["editor"], nil, nil, 200); err != nil {
			return err
		}
		if err := c.call("POST", "/api/v1/items/"+it.ID+"/approve", tokens["manager"], nil, nil, 200); err != nil {
			return err
		}
	}
	var tok struct{ Token string }
	if err := c.call("POST", "/api/v1/stations/"+st.ID+"/token", admin, nil, &tok, 201); err != nil {
		return err
	}
	path := "/api/v1/stations/" + st.ID + "/rundown?date=" + day
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var check struct {
		Slots []struct{ Items []struct{} }
	}
	if res.StatusCode != 200 || json.Unmarshal(raw, &check) != nil || len(check.Slots) != 2 || len(check.Slots[0].Items) != 3 || len(check.Slots[1].Items) != 3 {
		return errors.New("the seeded rundown is not 2 slots × 3 scripts: " + string(raw))
	}
	if err := os.WriteFile(out, raw, 0o644); err != nil {
		return err
	}
	fmt.Printf("TOKEN=%s\nRUNDOWN_PATH=%s\nBYTES=%d\n", tok.Token, path, len(raw))
	return nil
}
