package reach

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/store"
)

// The annual results report is due to the commune People's Committee before
// 25/11 (SPEC §2). From 01/11 to 24/11 the managers' dashboard data carries a
// reminder: the clock sets a notice document per commune on 01/11 and clears
// it once the window has passed (RefreshNotices); summaries read it by _id
// and also check its window against the clock, so a notice the clock has
// not cleared yet is never shown late.
const (
	NoticeReportDue = "report_due"
	noticeFrom      = "11-01"
	noticeUntil     = "11-24"
	reportDue       = "11-25"
)

// Notice is a reminder shown on the managers' dashboard.
type Notice struct {
	ID        string `bson:"_id" json:"-"`
	CommuneID string `bson:"commune_id" json:"-"`
	Kind      string `bson:"kind" json:"kind"`
	Year      int    `bson:"year" json:"year"`
	// Due is the deadline (the report must reach the People's Committee
	// before it); From and Until bound the days the notice shows.
	Due       string    `bson:"due" json:"due"`
	From      string    `bson:"from" json:"from"`
	Until     string    `bson:"until" json:"until"`
	DaysLeft  int       `bson:"-" json:"days_left"`
	Message   string    `bson:"message" json:"message"`
	MessageEn string    `bson:"message_en" json:"message_en"`
	SetAt     time.Time `bson:"set_at" json:"-"`
}

func noticeID(commune string) string { return NoticeReportDue + "|" + commune }

// reportDueNotice is the notice of year for commune.
func reportDueNotice(commune string, year int, now time.Time) Notice {
	y := strconv.Itoa(year)
	return Notice{ID: noticeID(commune), CommuneID: commune, Kind: NoticeReportDue, Year: year,
		Due: y + "-" + reportDue, From: y + "-" + noticeFrom, Until: y + "-" + noticeUntil,
		Message:   fmt.Sprintf("Báo cáo kết quả thực hiện Chương trình năm %d phải gửi Ủy ban nhân dân xã trước ngày 25/11/%d.", year, year),
		MessageEn: fmt.Sprintf("The %d annual results report is due to the commune People's Committee before 25/11/%d.", year, year),
		SetAt:     now.UTC()}
}

// RefreshNotices sets the report deadline notice of each commune while
// today (in the commune time zone) is within 01/11–24/11, and clears it
// otherwise. It is idempotent: the clock runs it hourly.
func (s *Service) RefreshNotices(ctx context.Context, communes []string) error {
	now := s.now()
	today := now.In(s.loc).Format(campaigns.DateLayout)
	year := now.In(s.loc).Year()
	for _, c := range communes {
		n := reportDueNotice(c, year, now)
		var err error
		if today >= n.From && today <= n.Until {
			_, err = s.notices.UpdateOne(ctx, bson.M{"_id": n.ID}, bson.M{"$setOnInsert": n}, options.UpdateOne().SetUpsert(true))
			if err == nil {
				// a notice left from another year is replaced
				_, err = s.notices.ReplaceOne(ctx, bson.M{"_id": n.ID, "year": bson.M{"$ne": year}}, n)
			}
		} else {
			_, err = s.notices.DeleteOne(ctx, bson.M{"_id": n.ID})
		}
		if err != nil {
			return fmt.Errorf("refreshing the report notice of %s: %w", c, err)
		}
	}
	return nil
}

// CurrentNotice returns the scope's commune's notice and true, or false when
// there is none: none set by the clock, or one whose days are over.
func (s *Service) CurrentNotice(ctx context.Context) (Notice, bool, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return Notice{}, false, err
	}
	var n Notice
	err = store.FindByID(ctx, s.notices, noticeID(sc.CommuneID), &n)
	if store.IsNoDocuments(err) {
		return Notice{}, false, nil
	}
	if err != nil {
		return Notice{}, false, fmt.Errorf("reading the report notice: %w", err)
	}
	day := s.now().In(s.loc).Format(campaigns.DateLayout)
	if day < n.From || day > n.Until {
		return Notice{}, false, nil
	}
	due, _ := time.ParseInLocation(campaigns.DateLayout, n.Due, s.loc)
	start, _ := time.ParseInLocation(campaigns.DateLayout, day, s.loc)
	n.DaysLeft = int(due.Sub(start).Hours()/24 + 0.5)
	return n, true, nil
}
