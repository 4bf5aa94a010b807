package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

func main() {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{DataDir: os.Args[1], Database: "lantoa", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	defer st.Close(ctx)
	db := map[string]string{}
	for _, c := range []string{"deliveries", "deliveries_archive"} {
		var out []bson.M
		cur, _ := st.DB.Collection(c).Find(ctx, bson.M{})
		cur.All(ctx, &out)
		for _, d := range out {
			s := d["state"].(string)
			if sk, _ := d["skipped"].(bool); sk {
				s = "skipped"
			}
			if prev, dup := db[d["_id"].(string)]; dup {
				fmt.Println("dup", d["_id"], prev, "|", c, s, d["day"], d["finished_at"], d["item_version"])
			}
			db[d["_id"].(string)] = s + " " + d["day"].(string)
		}
	}
	tally := map[string]string{}
	var days []bson.M
	cur, _ := st.DB.Collection("reach_outcomes").Find(ctx, bson.M{"kind": "od"})
	cur.All(ctx, &days)
	for _, d := range days {
		for _, e := range d["s"].(bson.D) {
			tally[e.Key] = strings.SplitN(e.Value.(string), "|", 2)[0] + " " + d["day"].(string)
		}
	}
	n := 0
	for id, s := range db {
		if strings.HasPrefix(s, "queued") {
			continue
		}
		if tally[id] != s {
			n++
			if n < 30 {
				fmt.Println("db", id, s, "tally", tally[id])
			}
		}
	}
	for id, s := range tally {
		if _, ok := db[id]; !ok {
			fmt.Println("tally only", id, s)
		}
	}
	fmt.Println("mismatches", n, "db", len(db), "tally", len(tally))
}
