package campaigns

import "slices"

// Audiences are the audience codes named in the plan (SPEC §2), with their
// Vietnamese names.
var Audiences = []Code{
	{"youth", "Thanh niên"},
	{"students", "Học sinh, sinh viên"},
	{"women", "Phụ nữ"},
	{"workers", "Người lao động"},
	{"men", "Nam giới"},
	{"leaders", "Người có uy tín trong cộng đồng"},
	{"children", "Trẻ em"},
	{"women-disability", "Phụ nữ khuyết tật"},
	{"migrant-workers", "Lao động di cư"},
	{"boarding-workers", "Nữ công nhân nhà trọ"},
	{"forced-marriage-risk", "Phụ nữ có nguy cơ bị ép kết hôn với người nước ngoài"},
	{"employers", "Người sử dụng lao động, doanh nghiệp"},
	{"residents", "Người dân khu dân cư"},
}

// Channels are the channels content goes out through (SPEC §2).
var Channels = []Code{
	{"loudspeaker", "Truyền thanh cơ sở"},
	{"facebook", "Trang Facebook"},
	{"zalo", "Zalo OA"},
	{"portal", "Trang Thông tin điện tử xã"},
	{"print", "Tờ rơi, áp phích, pa nô, băng rôn, sổ tay"},
	{"event", "Hội nghị, hội thi, tọa đàm"},
}

// Code is a machine code with its Vietnamese name.
type Code struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func known(list []Code, code string) bool {
	return slices.ContainsFunc(list, func(c Code) bool { return c.Code == code })
}

func codes(list []Code) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Code
	}
	return out
}
