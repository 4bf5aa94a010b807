package reach

import (
	"context"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/stations"
	"github.com/lantoa/lantoa/store"
)

// Communes is what the reports need of the accounts: the communes' names.
type Communes interface {
	GetCommune(ctx context.Context, id string) (accounts.Commune, error)
	ListCommunes(ctx context.Context) ([]accounts.Commune, error)
}

// Stations is what the reports need of the stations: the commune's list.
type Stations interface {
	List(ctx context.Context, ids ...string) ([]stations.Station, error)
}

// ReportInput gathers what the annual report needs from the other domains
// for the commune in ctx's scope: its name and its stations, and signer,
// the name the report is signed with. Both HTTP surfaces call it.
func (s *Service) ReportInput(ctx context.Context, signer string) (ReportInput, error) {
	sc, err := store.ScopeFrom(ctx)
	if err != nil {
		return ReportInput{}, err
	}
	commune, err := s.communes.GetCommune(ctx, sc.CommuneID)
	if err != nil {
		return ReportInput{}, err
	}
	in := ReportInput{CommuneName: commune.Name, Signer: signer}
	list, err := s.stations.List(ctx)
	if err != nil {
		return ReportInput{}, err
	}
	for _, st := range list {
		in.Stations = append(in.Stations, StationInfo{ID: st.ID, Name: st.Name, Village: st.Village, Households: st.Households})
	}
	return in, nil
}

// CommuneRefs lists every commune of the installation, for the province's
// views.
func (s *Service) CommuneRefs(ctx context.Context) ([]CommuneRef, error) {
	list, err := s.communes.ListCommunes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CommuneRef, len(list))
	for i, c := range list {
		out[i] = CommuneRef{ID: c.ID, Name: c.Name}
	}
	return out, nil
}
