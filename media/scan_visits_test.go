package media

import "testing"

// TestIsLinkPreview: the crawlers of chat apps and social networks are
// previews; people's browsers, Zalo's in-app browser included, are not.
func TestIsLinkPreview(t *testing.T) {
	t.Parallel()
	previews := []string{
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
		"meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
		"WhatsApp/2.23.20.0 A", "WhatsApp",
		"TelegramBot (like TwitterBot)",
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Slack-ImgProxy (+https://api.slack.com/robots)",
		"Twitterbot/1.0",
		"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
		"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/27.0.1453 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
		"Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
		"Mozilla/5.0 (compatible; ZaloBot/1.0)", "Zalo", "zalo-link-preview/2.0", "Mozilla/5.0 Zalo crawler",
	}
	people := []string{
		"Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Zalo android/12060100 ZaloTheme/light ZaloLanguage/vn",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/476",
		"Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
		"Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
		"Mozilla/5.0 (Linux; Android 11; WhatsApp) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1 [FBAN/FBIOS;FBAV/440.0]",
	}
	for _, ua := range previews {
		if !IsLinkPreview(ua) {
			t.Errorf("not a preview: %q", ua)
		}
	}
	for _, ua := range people {
		if IsLinkPreview(ua) {
			t.Errorf("a person taken for a preview: %q", ua)
		}
	}
}
