# Build a static binary, then run it as a non-root user on a small base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/lantoa .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lantoa /usr/local/bin/lantoa
ENV LANTOA_DATA=/data LANTOA_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s CMD ["/usr/local/bin/lantoa", "health"]
ENTRYPOINT ["/usr/local/bin/lantoa"]
CMD ["serve"]
