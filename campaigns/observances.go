package campaigns

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Observance is a yearly observance of the programme (SPEC §2). Start and End
// are "MM-DD"; every observance lies inside one calendar year.
type Observance struct {
	Code   string `bson:"_id" json:"code"`
	Name   string `bson:"name" json:"name"`
	NameEN string `bson:"name_en" json:"name_en"`
	Start  string `bson:"start" json:"start"`
	End    string `bson:"end" json:"end"`
}

// Observances are the three observances that recur every year of the programme.
var Observances = []Observance{
	{"dv-month", "Tháng hành động quốc gia về phòng, chống bạo lực gia đình",
		"National action month on preventing domestic violence", "06-01", "06-30"},
	{"gbv-month", "Tháng hành động vì bình đẳng giới và phòng, chống bạo lực trên cơ sở giới",
		"Action month for gender equality and against gender-based violence", "11-15", "12-15"},
	{"evaw-day", "Ngày Quốc tế xóa bỏ mọi hình thức bạo lực đối với phụ nữ và trẻ em gái",
		"International Day for the Elimination of Violence against Women", "11-25", "11-25"},
}

// ProgrammeYears are the years of the 2026–2030 programme.
var ProgrammeYears = []int{2026, 2027, 2028, 2029, 2030}

// seedObservances writes the observances, correcting any stored copy.
func (s *Service) seedObservances(ctx context.Context) error {
	for _, o := range Observances {
		_, err := s.observances.UpdateOne(ctx, bson.M{"_id": o.Code}, bson.M{"$set": o}, options.UpdateOne().SetUpsert(true))
		if err != nil {
			return fmt.Errorf("seeding observance %s: %w", o.Code, err)
		}
	}
	return nil
}

// ListObservances returns the observances in calendar order.
func (s *Service) ListObservances(ctx context.Context) ([]Observance, error) {
	cur, err := s.observances.Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "start", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("listing observances: %w", err)
	}
	out := []Observance{}
	return out, cur.All(ctx, &out)
}

func observance(code string) (Observance, bool) {
	for _, o := range Observances {
		if o.Code == code {
			return o, true
		}
	}
	return Observance{}, false
}
