package reach

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-fonts/dejavu/dejavuserif"
	"github.com/go-fonts/dejavu/dejavuserifbold"
	"github.com/go-fonts/dejavu/dejavuserifbolditalic"
	"github.com/go-fonts/dejavu/dejavuserifitalic"
	"github.com/go-pdf/fpdf"
)

// The PDF is an administrative report in the form of the commune's plan
// (Decree 30/2020/NĐ-CP layout): the issuing body and the national motto
// side by side, the number, the place and date line, the title, sections
// I–IV with tables, the closing sentence, the recipients (Nơi nhận) and the
// signature block. A4, left margin 30 mm, a Unicode serif (DejaVu Serif) so
// every Vietnamese diacritic prints.

const (
	pdfFont        = "serif"
	pdfLeft        = 30.0
	pdfRight       = 15.0
	pdfTop         = 20.0
	pdfBottom      = 20.0
	pdfBody        = 12.5
	pdfLine        = 6.2
	pdfTableSize   = 10.0
	pdfTableLine   = 4.8
	pdfPageWidth   = 210.0
	pdfPageHeight  = 297.0
	pdfContentWide = pdfPageWidth - pdfLeft - pdfRight
)

// reportPDF is a report being drawn.
type reportPDF struct {
	*fpdf.Fpdf
	r *AnnualReport
}

// PDF writes the report as an administrative report.
func (r *AnnualReport) PDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(r.Generated)
	pdf.SetModificationDate(r.Generated)
	pdf.SetTitle(fmt.Sprintf("Báo cáo kết quả thực hiện Chương trình phòng ngừa và ứng phó với bạo lực trên cơ sở giới năm %d - %s", r.Year, r.CommuneName), true)
	pdf.SetAuthor(issuingBody(r.CommuneName), true)
	pdf.SetCreator("Lan Tỏa", true)
	for style, ttf := range map[string][]byte{"": dejavuserif.TTF, "B": dejavuserifbold.TTF, "I": dejavuserifitalic.TTF, "BI": dejavuserifbolditalic.TTF} {
		pdf.AddUTF8FontFromBytes(pdfFont, style, ttf)
	}
	pdf.SetMargins(pdfLeft, pdfTop, pdfRight)
	pdf.SetAutoPageBreak(true, pdfBottom)
	p := &reportPDF{Fpdf: pdf, r: r}
	pdf.SetFooterFunc(func() {
		if pdf.PageNo() > 1 {
			pdf.SetY(-12)
			pdf.SetFont(pdfFont, "", 10)
			pdf.CellFormat(0, 5, fmt.Sprint(pdf.PageNo()), "", 0, "C", false, 0, "")
		}
	})
	pdf.AddPage()
	p.heading()
	p.body()
	p.signature()
	p.appendix()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("drawing the report PDF: %w", err)
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("writing the report PDF: %w", err)
	}
	return out.Bytes(), nil
}

// heading draws the issuing body and number (left), the national motto and
// the place and date line (right), and the title.
func (p *reportPDF) heading() {
	const leftW, gap = 62.0, 3.0
	rightW := pdfContentWide - leftW - gap
	y := p.GetY()
	p.centred(pdfLeft, y, leftW, "B", 12, issuingBody(p.r.CommuneName))
	p.rule(pdfLeft+leftW/2-12, y+6.2, 24)
	p.centred(pdfLeft, y+9, leftW, "", 12.5, "Số:        /BC-UBND")
	rx := pdfLeft + leftW + gap
	p.centred(rx, y, rightW, "B", 11.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	p.centred(rx, y+5.6, rightW, "B", 12.5, "Độc lập - Tự do - Hạnh phúc")
	p.SetFont(pdfFont, "B", 12.5)
	motto := p.GetStringWidth("Độc lập - Tự do - Hạnh phúc")
	p.rule(rx+(rightW-motto)/2, y+11.6, motto)
	g := p.r.Generated
	p.centred(rx, y+15, rightW, "I", 12.5, placeName(p.r.CommuneName)+", "+vnDate(g.Day(), int(g.Month()), g.Year()))
	p.SetXY(pdfLeft, y+30)
	p.SetFont(pdfFont, "B", 14)
	p.CellFormat(0, 7, "BÁO CÁO", "", 1, "C", false, 0, "")
	p.SetFont(pdfFont, "B", 13)
	p.MultiCell(0, 6.5, fmt.Sprintf("Kết quả thực hiện Chương trình phòng ngừa và ứng phó với bạo lực trên cơ sở giới năm %d", p.r.Year), "", "C", false)
	p.rule(pdfLeft+pdfContentWide/2-20, p.GetY()+1, 40)
	p.Ln(6)
}

// centred writes one line centred in [x, x+w] at y.
func (p *reportPDF) centred(x, y, w float64, style string, size float64, text string) {
	p.SetFont(pdfFont, style, size)
	p.SetXY(x, y)
	p.CellFormat(w, 5.6, text, "", 0, "C", false, 0, "")
}

// rule draws the short line under a heading.
func (p *reportPDF) rule(x, y, w float64) {
	p.SetLineWidth(0.3)
	p.Line(x, y, x+w, y)
}

// para writes a justified paragraph with a first-line indent.
func (p *reportPDF) para(text string) {
	p.SetFont(pdfFont, "", pdfBody)
	p.SetX(pdfLeft)
	// em spaces: justification stretches only ordinary spaces, so the
	// indent stays the same on every paragraph
	p.MultiCell(0, pdfLine, "\u2003\u2003"+text, "", "J", false)
	p.Ln(0.8)
}

// heading1 writes a section heading ("I. TÌNH HÌNH TRIỂN KHAI").
func (p *reportPDF) section(text string) {
	p.keep(3 * pdfLine)
	p.SetFont(pdfFont, "B", pdfBody)
	p.SetX(pdfLeft)
	p.MultiCell(0, pdfLine, text, "", "L", false)
	p.Ln(0.8)
}

// subsection writes "1. …" in bold italics.
func (p *reportPDF) subsection(text string) {
	p.keep(4 * pdfLine)
	p.SetFont(pdfFont, "BI", pdfBody)
	p.SetX(pdfLeft)
	p.MultiCell(0, pdfLine, text, "", "L", false)
	p.Ln(0.5)
}

// keep starts a new page unless h millimetres fit on this one.
func (p *reportPDF) keep(h float64) {
	if p.GetY()+h > pdfPageHeight-pdfBottom {
		p.AddPage()
	}
}

// signature draws the closing sentence, the recipients and the signature block.
func (p *reportPDF) signature() {
	p.para(fmt.Sprintf("Trên đây là báo cáo kết quả thực hiện Chương trình phòng ngừa và ứng phó với bạo lực trên cơ sở giới năm %d "+
		"của Ủy ban nhân dân %s./.", p.r.Year, lowerFirst(p.r.CommuneName)))
	p.keep(60)
	p.Ln(3)
	y := p.GetY()
	p.SetXY(pdfLeft, y)
	p.SetFont(pdfFont, "BI", 12)
	p.CellFormat(80, 5.5, "Nơi nhận:", "", 2, "L", false, 0, "")
	p.SetFont(pdfFont, "", 11)
	for _, to := range []string{"- Sở Nội vụ tỉnh;", "- Lãnh đạo UBND xã;", "- Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội xã;",
		"- Phòng Văn hoá - Xã hội;", "- Trang Thông tin điện tử xã;", "- Lưu: VT, PVHXH."} {
		p.SetX(pdfLeft)
		p.MultiCell(78, 5, to, "", "L", false)
	}
	const sx, sw = pdfLeft + 85, pdfContentWide - 85
	for i, line := range []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"} {
		p.centred(sx, y+float64(i)*5.8, sw, "B", 12.5, line)
	}
	if p.r.Signer != "" {
		p.centred(sx, y+45, sw, "B", 12.5, p.r.Signer)
	}
	p.SetY(y + 55)
}

// lowerFirst turns "Xã Liên Minh" into "xã Liên Minh" inside a sentence.
func lowerFirst(s string) string {
	for _, p := range []string{"Xã ", "Phường ", "Thị trấn "} {
		if strings.HasPrefix(s, p) {
			return strings.ToLower(p) + strings.TrimPrefix(s, p)
		}
	}
	return "xã " + s
}
