package reach

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lantoa/lantoa/campaigns"
)

// pdfTable is a table with wrapped cells that repeats its header on every page.
type pdfTable struct {
	cols   []string
	widths []float64
	align  []string
}

func (p *reportPDF) table(t pdfTable, rows [][]string) {
	p.SetLineWidth(0.2)
	p.tableRow(t, t.cols, true)
	for _, r := range rows {
		if p.tableRow(t, r, false) {
			p.tableRow(t, t.cols, true)
			p.tableRow(t, r, false)
		}
	}
	p.Ln(3)
}

// tableRow draws one row, or starts a new page and reports true when it does
// not fit (the caller draws the header and the row again).
func (p *reportPDF) tableRow(t pdfTable, cells []string, header bool) bool {
	style := ""
	if header {
		style = "B"
	}
	p.SetFont(pdfFont, style, pdfTableSize)
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = p.SplitText(c, t.widths[i])
		n = max(n, len(lines[i]))
	}
	h := float64(n)*pdfTableLine + 1.2
	if p.GetY()+h > pdfPageHeight-pdfBottom && !header {
		p.AddPage()
		return true
	}
	x, y := pdfLeft, p.GetY()
	for i := range cells {
		if header {
			p.SetFillColor(232, 238, 244)
			p.Rect(x, y, t.widths[i], h, "FD")
		} else {
			p.Rect(x, y, t.widths[i], h, "D")
		}
		align := "L"
		if header {
			align = "C"
		} else if i < len(t.align) && t.align[i] != "" {
			align = t.align[i]
		}
		for j, l := range lines[i] {
			p.SetXY(x, y+0.6+float64(j)*pdfTableLine)
			p.CellFormat(t.widths[i], pdfTableLine, l, "", 0, align, false, 0, "")
		}
		x += t.widths[i]
	}
	p.SetXY(pdfLeft, y+h)
	return false
}

// body draws the introduction and sections I–IV.
func (p *reportPDF) body() {
	r := p.r
	p.para(fmt.Sprintf("Thực hiện Kế hoạch của Ủy ban nhân dân %s về triển khai thực hiện Chương trình phòng ngừa và ứng phó với "+
		"bạo lực trên cơ sở giới trên địa bàn xã giai đoạn 2026 - 2030, Ủy ban nhân dân xã báo cáo kết quả thực hiện năm %d như sau:",
		lowerFirst(r.CommuneName), r.Year))
	p.section("I. TÌNH HÌNH TRIỂN KHAI")
	for _, s := range r.deploymentSentences() {
		p.para(s)
	}
	p.section("II. KẾT QUẢ THỰC HIỆN")
	p.results()
	p.section("III. ĐÁNH GIÁ CHUNG")
	good, weak := r.assessment()
	p.subsection("1. Kết quả đạt được")
	for _, s := range good {
		p.para("- " + s)
	}
	p.subsection("2. Tồn tại, hạn chế")
	for _, s := range weak {
		p.para("- " + s)
	}
	p.section(fmt.Sprintf("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM %d", r.Year+1))
	for _, s := range r.nextYear() {
		p.para("- " + s)
	}
}

// results draws section II's tables.
func (p *reportPDF) results() {
	r := p.r
	p.subsection("1. Kết quả theo kênh truyền thông so với chỉ tiêu")
	var rows [][]string
	for i, c := range r.Channels {
		rows = append(rows, []string{strconv.Itoa(i + 1), ChannelName(c.Channel), MetricName(c.Metric), groupDigits(c.Value), targetPDF(c), pctPDF(c)})
	}
	p.table(pdfTable{cols: []string{"TT", "Kênh", "Chỉ số", "Kết quả", "Chỉ tiêu", "Tỷ lệ đạt"},
		widths: []float64{10, 48, 38, 24, 24, 21}, align: []string{"C", "", "", "R", "R", "R"}}, rows)
	p.subsection("2. Kết quả theo chiến dịch")
	rows = nil
	for i, cp := range r.Campaigns {
		when := vnDay(cp.Start) + " -\n" + vnDay(cp.End)
		if len(cp.Channels) == 0 {
			rows = append(rows, []string{strconv.Itoa(i + 1), cp.Title, when, "Chưa có số liệu", "", "", ""})
		}
		for j, c := range cp.Channels {
			tt, title, period := "", "", ""
			if j == 0 {
				tt, title, period = strconv.Itoa(i+1), cp.Title, when
			}
			rows = append(rows, []string{tt, title, period, ChannelName(c.Channel) + ": " + MetricName(c.Metric), groupDigits(c.Value), targetPDF(c), pctPDF(c)})
		}
	}
	p.table(pdfTable{cols: []string{"TT", "Chiến dịch", "Thời gian", "Kênh, chỉ số", "Kết quả", "Chỉ tiêu", "Tỷ lệ đạt"},
		widths: []float64{9, 42, 24, 36, 18, 18, 18}, align: []string{"C", "", "", "", "R", "R", "R"}}, rows)
	p.subsection("3. Truyền thanh cơ sở theo cụm loa")
	rows = nil
	for i, s := range r.Stations {
		rows = append(rows, []string{strconv.Itoa(i + 1), s.Name, s.Village, groupDigits(int64(s.Households)), groupDigits(s.Aired),
			groupDigits(s.Skipped + s.Missed), groupDigits(s.Listeners)})
	}
	p.table(pdfTable{cols: []string{"TT", "Cụm loa", "Thôn, xóm", "Số hộ", "Lượt phát", "Không phát", "Lượt hộ nghe"},
		widths: []float64{9, 40, 32, 17, 20, 20, 27}, align: []string{"C", "", "", "R", "R", "R", "R"}}, rows)
	p.subsection("4. Độ bao phủ theo thôn, xóm")
	rows = nil
	for i, v := range r.Villages {
		covered := "Chưa"
		if v.Covered {
			covered = "Có"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), v.Village, groupDigits(int64(v.Households)), groupDigits(v.Airings),
			groupDigits(v.Listeners), groupDigits(v.Metrics["copies"]), groupDigits(v.Metrics["attendance"]), covered})
	}
	p.table(pdfTable{cols: []string{"TT", "Thôn, xóm", "Số hộ", "Lượt phát", "Lượt hộ nghe", "Bản phát hành", "Người tham dự", "Phủ sóng"},
		widths: []float64{9, 34, 16, 19, 22, 22, 22, 21}, align: []string{"C", "", "R", "R", "R", "R", "R", "C"}}, rows)
	for _, n := range r.Notes {
		p.SetFont(pdfFont, "I", 10.5)
		p.MultiCell(0, 5, "Ghi chú: "+n, "", "J", false)
	}
}

// appendix lists every activity with its delivery outcomes on new pages.
func (p *reportPDF) appendix() {
	if len(p.r.Activities) == 0 {
		return
	}
	p.AddPage()
	p.SetFont(pdfFont, "B", 13)
	p.CellFormat(0, 7, "PHỤ LỤC", "", 1, "C", false, 0, "")
	p.SetFont(pdfFont, "I", 12)
	p.MultiCell(0, 6, fmt.Sprintf("Danh mục hoạt động truyền thông năm %d và kết quả đăng, phát", p.r.Year), "", "C", false)
	p.Ln(3)
	var rows [][]string
	for i, a := range p.r.Activities {
		rows = append(rows, []string{strconv.Itoa(i + 1), a.Title + " (" + a.CampaignTitle + ")", ChannelName(a.Channel),
			groupDigits(a.Counts[OutcomeSent]), groupDigits(a.Counts[OutcomeMissed] + a.Counts[OutcomeSkipped]),
			groupDigits(a.Counts[OutcomeDead]), groupDigits(a.Counts[OutcomeCancelled]), groupDigits(a.Reach) + " " + strings.ToLower(MetricName(a.ReachMetric))})
	}
	p.table(pdfTable{cols: []string{"TT", "Hoạt động (chiến dịch)", "Kênh", "Đã thực hiện", "Bỏ lỡ", "Lỗi", "Hủy", "Kết quả"},
		widths: []float64{10, 56, 25, 17, 13, 10, 11, 23}, align: []string{"C", "", "", "R", "R", "R", "R", "R"}}, rows)
}

func targetPDF(c ChannelResult) string {
	if !c.HasTarget {
		return "-"
	}
	return groupDigits(c.Target)
}

func pctPDF(c ChannelResult) string {
	if c.Target <= 0 {
		return "-"
	}
	return percent(c.Percent)
}

// observanceDates are the plan's observances as the report names them.
var observanceDates = map[string]string{
	"dv-month":  "“Tháng hành động quốc gia về phòng, chống bạo lực gia đình” (01/6 - 30/6)",
	"gbv-month": "“Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới” (15/11 - 15/12)",
	"evaw-day":  "Ngày Quốc tế xóa bỏ mọi hình thức bạo lực đối với phụ nữ và trẻ em gái (25/11)",
}

// deploymentSentences are section I: what was organised.
func (r *AnnualReport) deploymentSentences() []string {
	var obs []string
	own := 0
	for _, c := range r.Campaigns {
		if d, ok := observanceDates[c.Observance]; ok {
			obs = append(obs, d)
		} else {
			own++
		}
	}
	first := fmt.Sprintf("Trong năm %d, Ủy ban nhân dân xã chỉ đạo Phòng Văn hoá - Xã hội chủ trì, phối hợp với Trung tâm dịch vụ sự nghiệp công xã "+
		"và các cơ quan, đoàn thể triển khai %d chiến dịch truyền thông", r.Year, len(r.Campaigns))
	if len(obs) > 0 {
		first += fmt.Sprintf(", trong đó có %d chiến dịch hưởng ứng %s", len(obs), strings.Join(obs, "; "))
		if own > 0 {
			first += fmt.Sprintf(" và %d chiến dịch do xã tự tổ chức", own)
		}
	}
	out := []string{first + "."}
	var kinds []string
	total := 0
	for _, k := range []string{campaigns.KindScript, campaigns.KindPost, campaigns.KindLeaflet, campaigns.KindEvent} {
		if n := r.ItemsByKind[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, strings.ToLower(KindName(k))))
			total += n
		}
	}
	if total > 0 {
		out = append(out, fmt.Sprintf("Đã xây dựng và thực hiện %d sản phẩm, hoạt động truyền thông (%s), với %s lượt đăng, phát đã thực hiện "+
			"trên truyền thanh cơ sở, mạng xã hội (Facebook, Zalo), Trang Thông tin điện tử xã, tài liệu in và hoạt động trực tiếp.",
			total, strings.Join(kinds, "; "), groupDigits(r.Outcomes[OutcomeSent])))
	}
	covered := 0
	for _, v := range r.Villages {
		if v.Covered {
			covered++
		}
	}
	out = append(out, fmt.Sprintf("Hệ thống truyền thanh cơ sở gồm %d cụm loa; %d/%d thôn, xóm được phủ sóng các tin, bài tuyên truyền về phòng ngừa "+
		"và ứng phó với bạo lực trên cơ sở giới.", len(r.Stations), covered, len(r.Villages)))
	return out
}

// assessment is section III: what went well and what fell short.
func (r *AnnualReport) assessment() (good, weak []string) {
	var met, short []string
	for _, c := range r.Channels {
		switch {
		case c.Target > 0 && c.Value >= c.Target:
			met = append(met, fmt.Sprintf("%s (%s)", ChannelName(c.Channel), percent(c.Percent)))
		case c.Target > 0:
			short = append(short, fmt.Sprintf("%s (%s)", ChannelName(c.Channel), percent(c.Percent)))
		}
	}
	if len(met) > 0 {
		good = append(good, "Các kênh đạt và vượt chỉ tiêu: "+strings.Join(met, "; ")+".")
	}
	good = append(good, "Công tác truyền thông được triển khai đa dạng, kết hợp truyền thông trực tiếp tại cơ sở với truyền thông trên "+
		"hệ thống truyền thanh và nền tảng số, hướng tới các nhóm đối tượng của Kế hoạch.")
	if len(short) > 0 {
		weak = append(weak, "Các kênh chưa đạt chỉ tiêu: "+strings.Join(short, "; ")+".")
	}
	if n := r.Outcomes[OutcomeMissed] + r.Outcomes[OutcomeSkipped] + r.Outcomes[OutcomeDead]; n > 0 {
		weak = append(weak, fmt.Sprintf("Còn %s lượt đăng, phát chưa thực hiện được (bỏ lỡ %s, báo không phát %s, lỗi %s) do mất điện, "+
			"sự cố thiết bị, lịch phát đột xuất hoặc lỗi kết nối nền tảng.", groupDigits(n), groupDigits(r.Outcomes[OutcomeMissed]),
			groupDigits(r.Outcomes[OutcomeSkipped]), groupDigits(r.Outcomes[OutcomeDead])))
	}
	var uncovered []string
	for _, v := range r.Villages {
		if !v.Covered {
			uncovered = append(uncovered, v.Village)
		}
	}
	if len(uncovered) > 0 {
		weak = append(weak, "Chưa phủ sóng truyền thanh tại: "+strings.Join(uncovered, ", ")+".")
	}
	if len(weak) == 0 {
		weak = append(weak, "Không có tồn tại lớn; cần tiếp tục theo dõi, cập nhật số liệu thường xuyên.")
	}
	return good, weak
}

// nextYear is section IV, from the plan's tasks.
func (r *AnnualReport) nextYear() []string {
	return []string{
		fmt.Sprintf("Tổ chức hiệu quả các hoạt động truyền thông hưởng ứng %s; %s; %s năm %d.",
			observanceDates["dv-month"], observanceDates["gbv-month"], observanceDates["evaw-day"], r.Year+1),
		"Đa dạng hóa hình thức truyền thông trực tiếp và trực tuyến phù hợp với từng nhóm đối tượng; chú trọng sự tham gia của người có uy tín " +
			"trong cộng đồng, nam giới, thanh thiếu niên; tăng cường ứng dụng mạng xã hội (Facebook, Zalo) và truyền thanh cơ sở.",
		"Tăng cường truyền thông, giáo dục kỹ năng về an toàn số và phòng ngừa, ứng phó với bạo lực trên không gian mạng, nhất là với trẻ em, học sinh và thanh niên.",
		"Duy trì, nhân rộng các mô hình hỗ trợ người bị bạo lực trên cơ sở giới; phát hành tờ rơi, sổ tay, băng rôn, pa nô tại các thôn, xóm chưa được phủ sóng.",
		fmt.Sprintf("Theo dõi, thống kê kết quả thường xuyên và báo cáo Ủy ban nhân dân xã (qua Phòng Văn hoá - Xã hội) trước ngày 25 tháng 11 năm %d.", r.Year+1),
	}
}
