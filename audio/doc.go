// Package audio makes loudspeaker sound (SPEC §6.3, issue 16): uploads are
// recognised by their bytes, decoded and loudness-normalised with ffmpeg
// into broadcast-ready mono MP3, and scripts are synthesised by Vietnamese
// text-to-speech providers behind one interface. It stores nothing and
// knows no HTTP framework: the caller keeps the bytes (GridFS,
// content-addressed by Result.SHA256) and maps the errors.
//
// # Uploads
//
//	p := audio.New(audio.Config{})     // finds ffmpeg and ffprobe once, at start
//	if err := p.Err(); err != nil { … }  // ErrUnavailable: 503 on the audio routes only
//	res, err := p.Normalize(ctx, data)  // at most MaxBytes; read the body with that limit
//	// res.MP3, res.DurationSeconds, res.LoudnessLUFS, res.SHA256
//
// The result is mono 44.1 kHz 96 kbit/s MP3 at −16 LUFS ±1 (TargetLUFS,
// ToleranceLU) with its true peak at most −1 dBTP, as measured on the
// encoded file; the same upload always gives the same bytes, so the SHA-256
// deduplicates. Errors from bad input wrap ErrUnsupported (→ 415),
// ErrTooLarge or ErrTooLong (→ 413), ErrCorrupt or ErrSilent (→ 422);
// ErrUnavailable → 503; anything else is a fault of ours (500) or the
// context's. Each call runs ffmpeg and ffprobe two to ten times in its own temporary
// folder; about 3 s of CPU for a three-minute recording, so bound the
// number of concurrent calls (one or two on a two-core machine).
//
// # Text to speech
//
// A Synthesizer turns text into the provider's audio bytes, to be passed
// to Normalize like an upload. Read the script through vitext.Speakable
// first, so that numbers, dates, times, hotlines and the programme's
// abbreviations are spoken as words:
//
//	var tts audio.Synthesizer
//	switch cfg.TTSProvider { // TTS_PROVIDER
//	case "fpt":
//		tts = audio.NewFPT(audio.FPTConfig{APIKey: key, URL: url, Joiner: p})
//	case "vbee":
//		tts = audio.NewVbee(audio.VbeeConfig{AppID: id, Token: key, URL: url,
//			CallbackURL: baseURL + "/api/v1/tts/vbee/callback", CallbackSecret: secret,
//			Guard: storeGuard, Now: clock})
//	case "espeak":
//		tts = audio.NewEspeak("")
//	}                        // nil: POST …/audio/tts answers 409 tts_not_configured
//	raw, err := tts.Synthesize(ctx, vitext.Speakable(item.Body), audio.Options{Voice: v, Speed: s})
//	res, err := p.Normalize(ctx, raw)
//
// Synthesize blocks for seconds to minutes (FPT documents 5 s to 2 min a
// part), so run it in the background after answering 202, with a deadline.
// Its errors: ErrNotConfigured (→ 409 tts_not_configured; an administrator
// must act), ErrTransient (retry later with backoff), ErrPermanent (tell the
// editor; ErrCredentials, ErrQuota and ErrTextTooLong say why), an
// *apperr.ValidationError for a bad voice or speed (→ 400), or ctx's error.
//
// Vbee calls back when it is done. Its callbacks carry no signature, so
// Vbee.HandleCallback trusts only the request id in the body, and only
// under the signature Submit put in the callback URL; it then asks Vbee for
// that request and downloads the audio Vbee's own record links to, and
// refuses a second callback for the same request (ErrReplayed) through a
// ReplayGuard. From a Gin handler:
//
//	body, _ := io.ReadAll(io.LimitReader(c.Request.Body, audio.MaxCallbackBytes+1))
//	id, raw, err := vbee.HandleCallback(ctx, c.Request.URL, body)
//	// ErrUnverified → 403, ErrReplayed → 409; else find the item by id
//
// With Vbee the caller may either block in Synthesize (which polls Vbee and
// ignores the callback) or, to survive restarts, keep the id from Submit
// with the item and finish in the callback handler (or in a later Fetch).
// A ReplayGuard kept in the store (insert {_id: key}; a duplicate means
// replayed) serves several replicas and restarts; MemoryGuard serves one
// process.
package audio
