package publishers

import "strings"

// Redacted is what stands in a message where a credential was.
const Redacted = "[redacted]"

// Redact returns s with every occurrence of each secret replaced by
// Redacted. Secrets shorter than 4 characters are left alone: blanking
// them would blank ordinary text, and no real credential is that short.
func Redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return s
}

// RedactParams returns s with the value of every URL parameter named in
// keys (key=value, up to the next '&', quote or white space) replaced by
// Redacted: a URL the platform sent back may carry a token this client
// does not know, such as the next-page link of a Graph API answer.
func RedactParams(s string, keys ...string) string {
	for _, key := range keys {
		key += "="
		var b strings.Builder
		for {
			i := strings.Index(s, key)
			if i < 0 {
				break
			}
			b.WriteString(s[:i+len(key)])
			b.WriteString(Redacted)
			s = s[i+len(key):]
			end := strings.IndexAny(s, "&\" \t\n")
			if end < 0 {
				end = len(s)
			}
			s = s[end:]
		}
		b.WriteString(s)
		s = b.String()
	}
	return s
}
