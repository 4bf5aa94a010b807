package web

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
)

// campaignForm is the campaign editor's fields as typed, and the errors to
// show next to them (catalogue keys by field).
type campaignForm struct {
	Heading   string // catalogue key
	Action    string
	CancelURL string
	Title     string
	Start     string
	End       string
	LeadUnit  string
	Budget    string
	Audiences map[string]bool
	Channels  map[string]bool
	Targets   map[string]string
	Errors    map[string]string

	AudienceOptions []option
	ChannelOptions  []option
}

// formFields are the campaign form's fields in the order they are shown; a
// validation error on any other field is shown at the top of the form.
var formFields = []string{"title", "start", "end", "audiences", "channels", "targets", "budget_vnd", "lead_unit"}

func newCampaignForm() campaignForm {
	f := campaignForm{Audiences: map[string]bool{}, Channels: map[string]bool{}, Targets: map[string]string{},
		Errors: map[string]string{}}
	for _, a := range campaigns.Audiences {
		f.AudienceOptions = append(f.AudienceOptions, option{Value: a.Code, Key: "audience." + a.Code})
	}
	for _, ch := range campaigns.Channels {
		f.ChannelOptions = append(f.ChannelOptions, option{Value: ch.Code, Key: "channel." + ch.Code})
	}
	return f
}

// campaignFormOf fills the form from a stored campaign.
func campaignFormOf(c campaigns.Campaign) campaignForm {
	f := newCampaignForm()
	f.Title, f.Start, f.End, f.LeadUnit = c.Title, c.Start, c.End, c.LeadUnit
	if c.BudgetVND != 0 {
		f.Budget = strconv.FormatInt(c.BudgetVND, 10)
	}
	for _, a := range c.Audiences {
		f.Audiences[a] = true
	}
	for _, ch := range c.Channels {
		f.Channels[ch] = true
	}
	for ch, n := range c.Targets {
		f.Targets[ch] = strconv.FormatInt(n, 10)
	}
	return f
}

// parseCampaignForm reads the posted form. It returns the domain input and
// the form as typed; numbers that do not parse are reported in f.Errors and
// the input is then not to be used.
func parseCampaignForm(form url.Values) (campaigns.CampaignInput, campaignForm) {
	f := newCampaignForm()
	f.Title, f.Start, f.End = form.Get("title"), strings.TrimSpace(form.Get("start")), strings.TrimSpace(form.Get("end"))
	f.LeadUnit, f.Budget = form.Get("lead_unit"), strings.TrimSpace(form.Get("budget_vnd"))
	audiences, channels := form["audiences"], form["channels"]
	if audiences == nil {
		audiences = []string{}
	}
	if channels == nil {
		channels = []string{}
	}
	for _, a := range audiences {
		f.Audiences[a] = true
	}
	for _, ch := range channels {
		f.Channels[ch] = true
	}
	targets := map[string]int64{}
	for _, ch := range campaigns.Channels {
		raw := strings.TrimSpace(form.Get("target_" + ch.Code))
		if raw == "" {
			continue
		}
		f.Targets[ch.Code] = raw
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(raw, ".", ""), ",", ""), 10, 64)
		if err != nil || n < 0 {
			f.Errors["targets"] = "err.targets"
			continue
		}
		targets[ch.Code] = n
	}
	var budget int64
	if f.Budget != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(f.Budget, ".", ""), ",", ""), 10, 64)
		if err != nil || n < 0 {
			f.Errors["budget_vnd"] = "err.budget_vnd"
		}
		budget = n
	}
	for field, v := range map[string]string{"title": f.Title, "start": f.Start, "end": f.End} {
		if strings.TrimSpace(v) == "" {
			f.Errors[field] = "err.required"
		}
	}
	if reversed(f.Start, f.End) {
		f.Errors["end"] = "err.end"
	}
	in := campaigns.CampaignInput{Title: &f.Title, Start: &f.Start, End: &f.End, LeadUnit: &f.LeadUnit,
		Audiences: &audiences, Channels: &channels, Targets: &targets, BudgetVND: &budget}
	return in, f
}

// fieldError puts a domain validation error next to its field; it reports
// false for any other error.
func (f *campaignForm) fieldError(err error) bool {
	var v *apperr.ValidationError
	if !errors.As(err, &v) {
		return false
	}
	if slices.Contains(formFields, v.Field) {
		f.Errors[v.Field] = "err." + v.Field
	} else {
		f.Errors["form"] = "err.invalid"
	}
	return true
}
