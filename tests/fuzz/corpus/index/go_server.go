package server

import (
	"fmt"
	"net/http"
)

type (
	Handler struct{ name string }
	Option  func(*Handler)
)

// Serve answers one request.
func (h *Handler) Serve(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello %s", h.name)
}

func New(opts ...Option) *Handler { return &Handler{} }
