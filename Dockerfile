# Build a static binary, then run it as a non-root user on a small base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/lantoa .

# Debian rather than distroless: loudspeaker audio needs ffmpeg (decode,
# EBU R128 loudness, MP3) and espeak-ng (the Vietnamese preview voice),
# found on PATH at start (SPEC §6.3).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg espeak-ng ca-certificates \
 && rm -rf /var/lib/apt/lists/* && useradd --system --uid 65532 --home-dir /nonexistent nonroot \
 && mkdir /data && chown nonroot:nonroot /data
COPY --from=build /out/lantoa /usr/local/bin/lantoa
ENV LANTOA_DATA=/data LANTOA_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s CMD ["/usr/local/bin/lantoa", "health"]
ENTRYPOINT ["/usr/local/bin/lantoa"]
CMD ["serve"]
