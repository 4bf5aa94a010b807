package plans

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/lantoa/lantoa/campaigns"
)

// kindOrder is the order of kinds in the template's list.
var kindOrder = []string{campaigns.KindScript, campaigns.KindPost, campaigns.KindLeaflet, campaigns.KindEvent}

// kindLabels are the kinds as the template and the export write them.
var kindLabels = map[string]string{
	campaigns.KindScript:  "Loa",
	campaigns.KindPost:    "Bài đăng",
	campaigns.KindLeaflet: "Tờ rơi",
	campaigns.KindEvent:   "Sự kiện",
}

// kindWordsIn are the words read as a kind, folded and without punctuation:
// the labels, the codes and the names used in the web pages and reports.
var kindWordsIn = folded(map[string][]string{
	campaigns.KindScript:  {"loa", "script", "bài phát thanh", "phát thanh", "tin bài phát thanh", "truyền thanh", "loudspeaker"},
	campaigns.KindPost:    {"bài đăng", "post", "tin bài đăng", "bài viết", "đăng bài"},
	campaigns.KindLeaflet: {"tờ rơi", "leaflet", "áp phích", "tờ rơi áp phích", "poster", "flyer"},
	campaigns.KindEvent:   {"sự kiện", "event", "hội nghị", "hội thi", "tọa đàm", "hội nghị sự kiện"},
}, kindWord)

// channelLabels are the channels as the template and the export write them:
// short, and without the commas that the channels' full names hold.
var channelLabels = map[string]string{
	"loudspeaker": "Truyền thanh",
	"facebook":    "Facebook",
	"zalo":        "Zalo",
	"portal":      "Cổng thông tin",
	"print":       "Bản in",
	"event":       "Sự kiện",
}

// channelWordsIn are the words read as a channel: labels, codes, the full
// names of campaigns.Channels and common short names.
var channelWordsIn = func() map[string]string {
	m := folded(map[string][]string{
		"loudspeaker": {"truyền thanh", "loa", "loa phát thanh", "đài truyền thanh", "phát thanh"},
		"facebook":    {"fb", "trang facebook", "facebook page"},
		"zalo":        {"zalo oa", "trang zalo"},
		"portal":      {"cổng thông tin", "cổng", "cổng thông tin điện tử", "trang thông tin điện tử", "website", "web"},
		"print":       {"bản in", "in", "in ấn", "tờ rơi", "áp phích"},
		"event":       {"sự kiện", "hội nghị"},
	}, fold)
	for _, c := range campaigns.Channels {
		m[fold(c.Code)], m[fold(c.Name)] = c.Code, c.Code
	}
	return m
}()

// audienceWordsIn are the audiences' codes and Vietnamese names.
var audienceWordsIn = func() map[string]string {
	m := map[string]string{}
	for _, a := range campaigns.Audiences {
		m[fold(a.Code)], m[fold(a.Name)] = a.Code, a.Code
	}
	return m
}()

func folded(words map[string][]string, norm func(string) string) map[string]string {
	m := map[string]string{}
	for code, ws := range words {
		m[norm(code)] = code
		for _, w := range ws {
			m[norm(w)] = code
		}
	}
	return m
}

// kindWord folds a kind cell and drops its punctuation: "Tin, bài phát
// thanh" is "tin bai phat thanh".
func kindWord(s string) string {
	return fold(strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return ' '
		}
		return r
	}, s))
}

func known(m map[string]string) func(string) bool {
	return func(s string) bool { _, ok := m[fold(s)]; return ok }
}

// allChannels are the channel codes in campaigns' order.
func allChannels() []string {
	out := make([]string, len(campaigns.Channels))
	for i, c := range campaigns.Channels {
		out[i] = c.Code
	}
	return out
}

// channelNames are the labels of channels, for messages.
func channelNames(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = channelLabels[c]
	}
	return strings.Join(out, ", ")
}

// audienceName is an audience's Vietnamese name.
func audienceName(code string) string {
	for _, a := range campaigns.Audiences {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

// weekdayLabels are ISO weekdays as the template writes them.
var weekdayLabels = [8]string{1: "T2", 2: "T3", 3: "T4", 4: "T5", 5: "T6", 6: "T7", 7: "CN"}

// weekdayWordsIn are the words read as a weekday, folded.
var weekdayWordsIn = func() map[string]int {
	m := map[string]int{}
	words := [8][]string{
		1: {"t2", "thu 2", "thu hai", "mon", "monday"},
		2: {"t3", "thu 3", "thu ba", "tue", "tuesday"},
		3: {"t4", "thu 4", "thu tu", "wed", "wednesday"},
		4: {"t5", "thu 5", "thu nam", "thur", "thursday"}, // not "thu": "thứ" folds to it
		5: {"t6", "thu 6", "thu sau", "fri", "friday"},
		6: {"t7", "thu 7", "thu bay", "sat", "saturday"},
		7: {"cn", "chu nhat", "sun", "sunday"},
	}
	for d, ws := range words {
		for _, w := range ws {
			m[w] = d
		}
	}
	return m
}()

// validLink is the rule of campaigns.applyItemText: an http(s) URL with a
// host.
func validLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
