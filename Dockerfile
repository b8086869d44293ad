# lockstep's container image: the static binary alone on distroless
# (CA certificates, a non-root user, no shell). Build:
#   docker build --build-arg VERSION=1.2.3 -t lockstep .
# Run as an HCP Terraform run task (see docs/hcp-run-task.md):
#   docker run -p 8080:8080 -e LOCKSTEP_HMAC_KEY -e LOCKSTEP_HCP_TOKEN \
#     -v "$PWD/lockstep.hcl:/etc/lockstep/lockstep.hcl:ro" lockstep
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/lockstep-iac/lockstep/check.ToolVersion=${VERSION}" \
      -o /out/lockstep ./cmd/lockstep

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lockstep /usr/local/bin/lockstep
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/lockstep"]
CMD ["serve", "--config", "/etc/lockstep/lockstep.hcl", "--listen", ":8080"]
