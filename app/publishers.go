package app

import (
	"net"
	"net/http"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/portal"
	"github.com/lantoa/lantoa/publishers/zalo"
)

// withSettings applies the configuration's dispatch settings to o: the
// lease and publish timeout (unless a test set them) and the test-only clock
// offset.
func withSettings(o Options) Options {
	cfg := o.Config
	if o.Deliveries.Lease == 0 {
		o.Deliveries.Lease = cfg.Lease
	}
	if o.Dispatch.PublishTimeout == 0 {
		o.Dispatch.PublishTimeout = cfg.PublishTimeout
	}
	if off := cfg.ClockOffset; off != 0 {
		base := o.Now
		o.Now = func() time.Time { return base().Add(off) }
		o.Log.Warn("LANTOA_CLOCK_OFFSET shifts this process's clock: for fault tests only", "offset", off.String())
	}
	return o
}

// publishHTTP is the HTTP client of the platform publishers: bounded
// connection, TLS and header waits, and a whole-request limit (a photo
// upload on a slow commune link included). The dispatcher's publish timeout
// bounds a whole publish call on top of it.
func publishHTTP() *http.Client {
	return &http.Client{
		Timeout: 90 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
			ForceAttemptHTTP2:     true,
		},
	}
}

// publishers returns the publisher of every channel the configuration has
// credentials for, a by-hand publisher for Facebook and Zalo without them
// (unless LANTOA_OUTBOX), and the outbox for the rest, with o.Publishers
// (tests) taking precedence:
//
//   - facebook when FACEBOOK_PAGE_ID and FACEBOOK_PAGE_TOKEN are set;
//   - zalo when ZALO_APP_ID, ZALO_APP_SECRET and ZALO_REFRESH_TOKEN are set;
//     its rotating token chain lives in the store, shared by the replicas.
//     Credentials are per installation, so the chain is keyed by the
//     default commune: an installation serving several communes publishes
//     all of them to the one OA (and one Facebook Page);
//   - portal when PORTAL_WEBHOOK_URL is set.
//
// The clients log through log and never log a token.
func publishersOf(db *mongo.Database, o Options) map[string]publishers.Publisher {
	cfg, log := o.Config, o.Log
	out := map[string]publishers.Publisher{}
	httpc := publishHTTP()
	if cfg.FacebookPageID != "" && cfg.FacebookPageToken != "" {
		out[facebook.ChannelName] = facebook.New(facebook.Config{GraphURL: cfg.FacebookGraphURL, PageID: cfg.FacebookPageID,
			PageToken: cfg.FacebookPageToken, AppSecret: cfg.FacebookAppSecret, HTTP: httpc, Now: o.Now, Log: log})
	}
	if cfg.ZaloAppID != "" && cfg.ZaloAppSecret != "" && cfg.ZaloRefreshToken != "" {
		out[zalo.ChannelName] = zalo.New(zalo.Config{APIURL: cfg.ZaloAPIURL, OAuthURL: cfg.ZaloOAuthURL, AppID: cfg.ZaloAppID,
			AppSecret: cfg.ZaloAppSecret, InitialRefreshToken: cfg.ZaloRefreshToken,
			Tokens: zalo.NewMongoTokenStore(db, accounts.DefaultCommuneID, o.Now), HTTP: httpc, Now: o.Now, Log: log,
			Author: accounts.DefaultCommuneName, DefaultCover: cfg.ZaloCoverURL})
	}
	if cfg.PortalWebhookURL != "" {
		out[portal.ChannelName] = portal.New(portal.Config{WebhookURL: cfg.PortalWebhookURL, Secret: cfg.PortalWebhookSecret,
			HTTP: httpc, Timeout: 30 * time.Second, Now: o.Now, Log: log})
	}
	if !cfg.Outbox {
		// Without credentials a person posts to the Page or the OA
		// (SPEC §6.2); the portal without a webhook still publishes
		// through /feed.atom, and print writes its files: both stay on
		// the outbox.
		for _, ch := range []string{facebook.ChannelName, zalo.ChannelName} {
			if _, ok := out[ch]; !ok {
				out[ch] = publishers.ByHand{Name: ch}
			}
		}
	}
	for ch, p := range o.Publishers {
		out[ch] = p
	}
	return out
}

// statsPollers are the publishers of pubs that read statistics (facebook,
// zalo), for the reach poller.
func statsPollers(pubs map[string]publishers.Publisher) map[string]publishers.StatsPoller {
	stats := map[string]publishers.StatsPoller{}
	for ch, p := range pubs {
		if sp, ok := p.(publishers.StatsPoller); ok {
			stats[ch] = sp
		}
	}
	return stats
}
