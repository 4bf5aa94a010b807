package reach

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/lantoa/lantoa/store"
)

// CommuneRef names a commune for the province view.
type CommuneRef struct {
	ID   string
	Name string
}

// CommuneTotals is one commune's year in the province view.
type CommuneTotals struct {
	CommuneID string                      `json:"commune_id"`
	Name      string                      `json:"name"`
	Totals    map[string]map[string]int64 `json:"totals"`
	// Targets are the sums of the targets of the commune's campaigns of the
	// year, when asked for (the province workbook).
	Targets map[string]int64 `json:"targets,omitempty"`
	// VillagesReached counts the villages with any recorded value.
	VillagesReached int `json:"villages_reached"`
}

// ProvinceSummary is every commune's totals side by side and their sum.
type ProvinceSummary struct {
	Year     int                         `json:"year"`
	Communes []CommuneTotals             `json:"communes"`
	Total    map[string]map[string]int64 `json:"total"`
	Notes    []string                    `json:"notes"`
}

// ProvinceSummary reads each commune's year digest (one _id lookup per
// commune, never raw events) and sums them. It is system work across
// communes: the caller (province or admin) has been authorised already.
func (s *Service) ProvinceSummary(ctx context.Context, year int, communes []CommuneRef) (ProvinceSummary, error) {
	return s.provinceSummary(ctx, year, communes, false)
}

func (s *Service) provinceSummary(ctx context.Context, year int, communes []CommuneRef, targets bool) (ProvinceSummary, error) {
	if err := checkYear(year); err != nil {
		return ProvinceSummary{}, err
	}
	out := ProvinceSummary{Year: year, Communes: []CommuneTotals{}, Total: map[string]map[string]int64{}, Notes: []string{}}
	for _, c := range communes {
		cctx := store.WithScope(ctx, store.Scope{CommuneID: c.ID})
		d, err := s.yearDigest(cctx, year)
		if err != nil {
			return ProvinceSummary{}, fmt.Errorf("commune %s: %w", c.ID, err)
		}
		ct := CommuneTotals{CommuneID: c.ID, Name: c.Name, Totals: labelled(d.T), VillagesReached: len(d.V)}
		if targets {
			if ct.Targets, err = s.yearTargets(cctx, year); err != nil {
				return ProvinceSummary{}, fmt.Errorf("commune %s: %w", c.ID, err)
			}
		}
		for ch, metrics := range ct.Totals {
			if out.Total[ch] == nil {
				out.Total[ch] = map[string]int64{}
			}
			for m, v := range metrics {
				out.Total[ch][m] += v
			}
		}
		out.Communes = append(out.Communes, ct)
	}
	if HasReachSum(out.Total) {
		out.Notes = append(out.Notes, ReachSumNote)
	}
	return out, nil
}

// yearTargets sums the targets of the scope's commune's campaigns of year.
func (s *Service) yearTargets(ctx context.Context, year int) (map[string]int64, error) {
	y := strconv.Itoa(year)
	camps, err := s.camps.ListCampaigns(ctx, y+"-01-01", y+"-12-31")
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, c := range camps {
		for ch, v := range c.Targets {
			out[ch] += v
		}
	}
	return out, nil
}

// ProvinceXLSX writes the province-wide workbook of a year: every commune's
// totals per channel and metric side by side with the province total, and
// each commune's primary metrics against its targets.
func (s *Service) ProvinceXLSX(ctx context.Context, year int, communes []CommuneRef, generatedBy string) ([]byte, error) {
	ps, err := s.provinceSummary(ctx, year, communes, true)
	if err != nil {
		return nil, err
	}
	w, err := newWorkbook("Toàn tỉnh")
	if err != nil {
		return nil, err
	}
	w.line(fmt.Sprintf("KẾT QUẢ TRUYỀN THÔNG PHÒNG NGỪA VÀ ỨNG PHÓ VỚI BẠO LỰC TRÊN CƠ SỞ GIỚI NĂM %d — CÁC XÃ TRONG TỈNH", year), w.title)
	w.line("Lập ngày "+s.now().In(s.loc).Format("02/01/2006")+" — "+generatedBy, w.bold)
	w.row++
	cols := []string{"Kênh", "Chỉ số"}
	for _, c := range ps.Communes {
		cols = append(cols, c.Name)
	}
	w.headerRow(append(cols, "Toàn tỉnh")...)
	for _, ch := range channelCodes(ps.Total) {
		for _, m := range sortedMetrics(ps.Total[ch]) {
			row := []any{ChannelName(ch), MetricName(m)}
			for _, c := range ps.Communes {
				row = append(row, c.Totals[ch][m])
			}
			w.dataRow(append(row, ps.Total[ch][m])...)
		}
	}
	w.row++
	for _, n := range ps.Notes {
		w.line("Ghi chú: "+n, 0)
	}
	w.widths(append([]float64{26, 26}, repeat(16, len(ps.Communes)+1)...)...)
	provinceTargets(w, ps)
	return w.bytes()
}

// provinceTargets writes the sheet of primary metrics against targets.
func provinceTargets(w *workbook, ps ProvinceSummary) {
	w.newSheet("Chỉ tiêu")
	w.headerRow("Xã", "Kênh", "Chỉ số chính", "Kết quả", "Chỉ tiêu", "Tỷ lệ đạt (%)", "Số thôn, xóm có số liệu")
	for _, c := range ps.Communes {
		for _, cr := range channelResults(c.Totals, c.Targets, nil) {
			w.dataRow(c.Name, ChannelName(cr.Channel), MetricName(cr.Metric), cr.Value, target(cr), pctCell(cr), int64(c.VillagesReached))
		}
	}
	w.widths(24, 26, 26, 14, 14, 14, 22)
}

// channelCodes lists the channels of totals in the plan's order.
func channelCodes(totals map[string]map[string]int64) []string {
	keys := slices.Collect(maps.Keys(totals))
	slices.SortFunc(keys, func(a, b string) int { return channelOrder(a) - channelOrder(b) })
	return keys
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
