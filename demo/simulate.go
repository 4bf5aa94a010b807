package demo

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
)

// skipReasons are what operators say when a slot did not air.
var skipReasons = []string{"Mất điện cả thôn", "Loa hỏng, đang chờ sửa", "Phát thông báo khẩn của xã về phòng chống bão"}

// live walks the year's active days in order up to now: each campaign's
// content is written a week before it starts, and each day's deliveries go
// out as they would have.
func (d *demo) live() error {
	slices.SortFunc(d.plans, func(a, b *campaignPlan) int { return compare(a.c.Start, b.c.Start) })
	today := d.now.In(d.loc).Format(campaigns.DateLayout)
	first := d.day(d.plans[0].c.Start, 0, 0).AddDate(0, 0, -7)
	for day := first; day.Format(campaigns.DateLayout) <= today; day = day.AddDate(0, 0, 1) {
		date := day.Format(campaigns.DateLayout)
		if !d.active(date) {
			continue
		}
		if err := d.liveDay(date); err != nil {
			return fmt.Errorf("%s: %w", date, err)
		}
	}
	return nil
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// active reports whether anything happens on date: from a week before a
// campaign until two weeks after it (late statistics, scans, housekeeping).
func (d *demo) active(date string) bool {
	for _, p := range d.plans {
		from := d.day(p.c.Start, 0, 0).AddDate(0, 0, -7).Format(campaigns.DateLayout)
		to := d.day(p.c.End, 0, 0).AddDate(0, 0, 14).Format(campaigns.DateLayout)
		if date >= from && date <= to {
			return true
		}
	}
	return false
}

// liveDay lives one day: the night's top-up and misses, new content, each
// due time, the evening's statistics and scans, and the night's tally and
// archive — stopping at now on the last day.
func (d *demo) liveDay(date string) error {
	if err := d.at(d.day(date, 0, 10)); err != nil {
		return err
	}
	if err := d.a.Dispatch.TopUp(d.ctx); err != nil {
		return err
	}
	if _, err := d.a.Deliveries.MissUnconfirmed(d.ctx); err != nil {
		return err
	}
	for _, p := range d.plans {
		if d.day(p.c.Start, 0, 0).AddDate(0, 0, -7).Format(campaigns.DateLayout) == date {
			d.progress("  %s: nội dung của “%s” được soạn và duyệt", date, p.c.Title)
			if err := d.content(p); err != nil {
				return err
			}
		}
	}
	if err := d.slots(date); err != nil {
		return err
	}
	if err := d.edits(date); err != nil {
		return err
	}
	if err := d.evening(date); err != nil {
		return err
	}
	if d.at(d.day(date, 23, 50)) != nil {
		return nil
	}
	if err := d.a.Deliveries.Retell(d.ctx); err != nil {
		return err
	}
	_, err := d.a.Deliveries.Archive(d.ctx)
	return err
}

// errPastNow stops a day at the real time.
var errPastNow = fmt.Errorf("past now")

// at moves the clock to t, or reports errPastNow when t is after now.
func (d *demo) at(t time.Time) error {
	if t.After(d.now) {
		return errPastNow
	}
	d.clk.Set(t)
	return nil
}

// slots sends the day's deliveries at their due times: the dispatcher
// pushes posts, events and prints; the operator confirms loudspeaker slots
// twenty minutes later, skips some and forgets a few.
func (d *demo) slots(date string) error {
	list, err := d.a.Deliveries.List(d.ctx, deliveries.Filter{Day: date, State: deliveries.StateQueued})
	if err != nil {
		return err
	}
	var times []time.Time
	for _, dl := range list {
		if !slices.ContainsFunc(times, dl.DueAt.Equal) {
			times = append(times, dl.DueAt)
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for _, t := range times {
		if d.at(t.Add(2*time.Minute)) != nil {
			return nil
		}
		if err := d.a.Dispatch.Dispatch(d.ctx); err != nil {
			return err
		}
		d.a.Dispatch.Wait()
		if d.at(t.Add(20*time.Minute)) != nil {
			return nil
		}
		for _, dl := range list {
			if !dl.DueAt.Equal(t) {
				continue
			}
			if err := d.settle(dl); err != nil {
				return err
			}
		}
	}
	return nil
}

// settle is what people do after a delivery went out (or was due).
func (d *demo) settle(dl deliveries.Delivery) error {
	switch dl.Channel {
	case deliveries.Loudspeaker:
		return d.confirm(dl)
	case "event":
		return d.attendance(dl)
	case "print":
		return d.distribute(dl)
	}
	return nil
}

// confirm reports a slot: 88 % aired, 6 % skipped with a reason, 6 % never
// confirmed (the night marks them missed).
func (d *demo) confirm(dl deliveries.Delivery) error {
	h := fnv.New32a()
	h.Write([]byte(dl.ID))
	roll := h.Sum32() % 100
	in := rundown.AiringInput{DeliveryID: dl.ID, Status: "aired"}
	switch {
	case roll >= 94:
		return nil
	case roll >= 88:
		in.Status, in.Reason = "skipped", skipReasons[int(roll)%len(skipReasons)]
	}
	if _, _, err := d.a.Rundowns.Report(d.ctx, d.operator, dl.StationID, in); err != nil {
		return fmt.Errorf("reporting slot %s: %w", dl.ID, err)
	}
	if in.Status == "aired" {
		d.res.Airings++
	} else {
		d.res.Skipped++
	}
	return nil
}

// attendance records how many came to an event, by village.
func (d *demo) attendance(dl deliveries.Delivery) error {
	it, err := d.a.Campaigns.GetItem(d.ctx, dl.ItemID)
	if err != nil {
		return err
	}
	for i, v := range []string{"Thôn Đông", "Thôn Tây", "Xóm Đình"} {
		n := int64(it.ExpectedAttendance/3 - 8 + 6*i)
		if err := d.manual(reach.ManualEntry{CampaignID: dl.CampaignID, ItemID: dl.ItemID, Channel: "event", Metric: "attendance",
			Value: &n, Date: dl.Day, Village: v}); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) manual(e reach.ManualEntry) error {
	if _, err := d.a.Reach.AddManual(d.ctx, d.editor.Username, e); err != nil {
		return fmt.Errorf("manual entry: %w", err)
	}
	d.res.Manual++
	return nil
}

// edits edits a script after approval on its plan's day: its pending
// deliveries are cancelled, then the new version is approved again.
func (d *demo) edits(date string) error {
	for _, p := range d.plans {
		if p.edit != date || len(p.items) == 0 {
			continue
		}
		if d.at(d.day(date, 11, 0)) != nil {
			return nil
		}
		// The evening slot moves to 17:00: the 17:30 slots still to come are
		// cancelled for good, the morning ones are queued again.
		script := p.items[0]
		body := script.Body + " Số điện thoại của Công an xã: 0229.3.000.113."
		sched := script.Schedule
		sched.Times = []string{"06:00", "17:00"}
		if _, err := d.a.Campaigns.UpdateItem(d.ctx, d.editor, script.ID, campaigns.ItemInput{Body: &body, Schedule: &sched}); err != nil {
			return fmt.Errorf("editing the script: %w", err)
		}
		if _, err := d.approve(script.ID); err != nil {
			return err
		}
		d.progress("  %s: bản tin được sửa sau khi duyệt (giờ phát chiều đổi sang 17:00; các lượt 17:30 bị hủy) và duyệt lại", date)
	}
	return nil
}
