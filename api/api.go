// Package api embeds Bursar's hand-written OpenAPI document, served at GET /openapi.yaml.
package api

import _ "embed"

// Spec is the OpenAPI 3.0.3 document of every endpoint.
//
//go:embed openapi.yaml
var Spec []byte
