package audio

import (
	"context"
	"errors"
	"io"
	"net/http"
)

// fetchAudio downloads a provider's audio file. A 404 means not ready yet
// (done false, no error); 200 must carry a recognised audio format; other
// statuses are classified. bearer, when set, is sent as the Authorization.
func fetchAudio(ctx context.Context, client *http.Client, link, bearer string) ([]byte, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, false, &TTSError{Provider: "audio link", Class: ErrPermanent, Message: err.Error()}
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, false, transportError(ctx, "audio link", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, false, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, false, classifyStatus("audio link", resp.StatusCode, "", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAudioBytes+1))
	if err != nil {
		return nil, false, transportError(ctx, "audio link", err)
	}
	if len(data) > maxAudioBytes {
		return nil, false, &TTSError{Provider: "audio link", Class: ErrPermanent, Message: "audio file over 64 MiB"}
	}
	if _, ok := Sniff(data); !ok {
		return nil, false, &TTSError{Provider: "audio link", Class: ErrPermanent, Message: "the link did not serve audio"}
	}
	return data, true, nil
}

// isTransient reports whether err is a TTSError of class ErrTransient.
func isTransient(err error) bool { return errors.Is(err, ErrTransient) }
