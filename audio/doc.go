// Package audio makes loudspeaker sound (SPEC §6.3, issue 16): uploads are
// recognised by their bytes, decoded and loudness-normalised with ffmpeg
// into broadcast-ready mono MP3, and scripts are synthesised by Vietnamese
// text-to-speech providers behind one interface. It stores nothing: the
// caller keeps the bytes (GridFS, content-addressed by Result.SHA256).
//
// # Uploads
//
//	p := audio.New(audio.Config{})    // finds ffmpeg and ffprobe once
//	if err := p.Err(); err != nil { … } // ErrUnavailable: answer 503 on audio routes only
//	res, err := p.Normalize(ctx, data) // −16 LUFS ±1, true peak ≤ −1 dBTP, mono MP3
//
// Errors wrap ErrUnsupported (415), ErrTooLarge or ErrTooLong (413),
// ErrCorrupt or ErrSilent (422) and ErrUnavailable (503); any other error
// is a fault of ours (500) or the context's.
//
// # Text to speech
//
// A Synthesizer (NewFPT, NewVbee, NewEspeak) turns text into audio bytes in
// the provider's format; pass them to Normalize like an upload. Read the
// text through vitext.Speakable first, so that numbers, dates, times,
// hotlines and the programme's abbreviations are read as words. Errors
// are classified by the sentinels ErrNotConfigured, ErrTransient and
// ErrPermanent (see TTSError).
package audio
