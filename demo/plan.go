package demo

import (
	"fmt"
	"time"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/campaigns"
)

// campaignPlan is a campaign of the demo year and its content.
type campaignPlan struct {
	c     campaigns.Campaign
	items []campaigns.Item
	// edit is the day its script is edited after approval (its pending
	// deliveries are cancelled, then it is approved again), "" for none.
	edit string
}

var demoTargets = map[string]int64{"loudspeaker": 20000, "facebook": 2500, "zalo": 800, "portal": 400, "print": 1200, "event": 250}

// campaigns sets the observance campaigns' targets, adds two campaigns of
// the commune's own, and writes and approves each campaign's content a week
// before it starts.
func (d *demo) campaigns() error {
	y := d.year
	own := []campaigns.CampaignInput{
		ownCampaign("Phòng, chống quấy rối tình dục tại nơi làm việc", fmt.Sprintf("%d-08-03", y), fmt.Sprintf("%d-08-28", y),
			[]string{"workers", "employers", "boarding-workers"}),
		ownCampaign("An toàn trên không gian mạng cho học sinh", fmt.Sprintf("%d-09-07", y), fmt.Sprintf("%d-10-09", y),
			[]string{"students", "children", "youth"}),
	}
	var list []campaigns.Campaign
	for _, o := range []string{"dv-month", "gbv-month", "evaw-day"} {
		c, err := d.a.Campaigns.UpdateCampaign(d.ctx, d.editor.Username, fmt.Sprintf("%s-%s-%d", accounts.DefaultCommuneID, o, y),
			campaigns.CampaignInput{Targets: &demoTargets, Channels: &[]string{"loudspeaker", "facebook", "zalo", "portal", "print", "event"},
				Audiences: &[]string{"residents", "women", "men", "youth", "leaders"}, LeadUnit: ptr("Phòng Văn hoá - Xã hội")})
		if err != nil {
			return fmt.Errorf("campaign %s: %w", o, err)
		}
		list = append(list, c)
	}
	for _, in := range own {
		c, err := d.a.Campaigns.CreateCampaign(d.ctx, d.editor.Username, in)
		if err != nil {
			return fmt.Errorf("campaign %s: %w", *in.Title, err)
		}
		list = append(list, c)
	}
	d.res.Campaigns = len(list)
	for _, c := range list {
		p := &campaignPlan{c: c}
		if c.Observance == "dv-month" {
			p.edit = fmt.Sprintf("%d-06-10", y)
		}
		d.plans = append(d.plans, p)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func ownCampaign(title, start, end string, audiences []string) campaigns.CampaignInput {
	targets := map[string]int64{"loudspeaker": 12000, "facebook": 1500, "zalo": 500, "print": 600, "event": 120}
	return campaigns.CampaignInput{Title: &title, Start: &start, End: &end, Audiences: &audiences, Targets: &targets,
		Channels: &[]string{"loudspeaker", "facebook", "zalo", "portal", "print", "event"}, LeadUnit: ptr("Trung tâm dịch vụ sự nghiệp công xã")}
}

// day is a local date at a time of day.
func (d *demo) day(date string, hour, minute int) time.Time {
	t, _ := time.ParseInLocation(campaigns.DateLayout, date, d.loc)
	return t.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// content writes, submits and approves a campaign's items: the clock is
// set a week before the campaign starts.
func (d *demo) content(p *campaignPlan) error {
	c := p.c
	start := d.day(c.Start, 0, 0)
	d.clk.Set(start.AddDate(0, 0, -7).Add(10 * time.Hour))
	// The bulletin is read until the campaign ends (the rundowns of any
	// day of it have slots): on weekdays, and every day in the action
	// month against gender-based violence (15/11–15/12), the busiest time
	// of the year.
	weekdays := []int{1, 2, 3, 4, 5}
	if c.Observance == "gbv-month" {
		weekdays = nil
	}
	var stationIDs []string
	for _, st := range d.sts {
		stationIDs = append(stationIDs, st.ID)
	}
	inputs := []campaigns.ItemInput{
		{Kind: ptr(campaigns.KindScript), Title: ptr("Bản tin: " + c.Title),
			Body: ptr("Kính thưa bà con! Bạo lực gia đình và bạo lực trên cơ sở giới là hành vi vi phạm pháp luật. " +
				"Khi bị bạo lực hoặc chứng kiến bạo lực, hãy gọi Tổng đài quốc gia bảo vệ trẻ em 111 hoặc báo ngay cho trưởng thôn, " +
				"công an xã. Nơi tạm lánh của xã đặt tại Nhà văn hóa Thôn Đông, mở cửa cả ngày lẫn đêm."),
			Channels: ptr([]string{"loudspeaker"}), StationIDs: &stationIDs,
			Schedule: &campaigns.Schedule{Times: []string{"06:00", "17:30"}, From: c.Start, To: c.End, Weekdays: weekdays}},
		{Kind: ptr(campaigns.KindPost), Title: ptr("Hưởng ứng " + c.Title),
			Body:     ptr("Ủy ban nhân dân xã Liên Minh hưởng ứng " + c.Title + ". Hãy lên tiếng khi thấy bạo lực: gọi 111."),
			Channels: ptr([]string{"facebook", "zalo", "portal"}), Schedule: &campaigns.Schedule{At: ptr(start.AddDate(0, 0, 1).Add(9 * time.Hour))}},
		{Kind: ptr(campaigns.KindPost), Title: ptr("Hỏi - đáp: Làm gì khi bị bạo lực?"),
			Body:     ptr("Những địa chỉ tin cậy: Trạm Y tế xã, Công an xã, Hội Liên hiệp phụ nữ xã, nơi tạm lánh tại Nhà văn hóa Thôn Đông."),
			Channels: ptr([]string{"facebook", "zalo"}), Schedule: &campaigns.Schedule{At: ptr(start.AddDate(0, 0, 8).Add(20 * time.Hour))}},
		{Kind: ptr(campaigns.KindEvent), Title: ptr("Hội nghị truyền thông: " + c.Title),
			Body:  ptr("Hội nghị truyền thông tại cộng đồng với người có uy tín, nam giới và thanh niên."),
			Place: ptr("Nhà văn hóa Thôn Đông"), ExpectedAttendance: ptr(120), Channels: ptr([]string{"event"}),
			Schedule: &campaigns.Schedule{At: ptr(start.AddDate(0, 0, 3).Add(8 * time.Hour))}},
	}
	for _, in := range inputs {
		in.CampaignID, in.Audiences = &c.ID, &c.Audiences
		it, err := d.a.Campaigns.CreateItem(d.ctx, d.editor, in)
		if err != nil {
			return fmt.Errorf("item %q: %w", *in.Title, err)
		}
		if it, err = d.approve(it.ID); err != nil {
			return err
		}
		p.items = append(p.items, it)
		d.res.Items[it.Kind]++
	}
	if c.Observance == "gbv-month" {
		return d.leafletItem(p)
	}
	return nil
}

// approve submits an item as the editor and approves it as the manager.
func (d *demo) approve(id string) (campaigns.Item, error) {
	if _, err := d.a.Campaigns.Submit(d.ctx, d.editor, id); err != nil {
		return campaigns.Item{}, fmt.Errorf("submitting %s: %w", id, err)
	}
	it, _, err := d.a.Campaigns.Approve(d.ctx, d.manager, id)
	if err != nil {
		return campaigns.Item{}, fmt.Errorf("approving %s: %w", id, err)
	}
	return it, nil
}
