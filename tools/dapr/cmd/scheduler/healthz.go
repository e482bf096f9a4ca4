package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/dapr/dapr/pkg/healthz"
)

// healthzServer is upstream's pkg/healthz/server reduced to /healthz, but bound to
// listenAddress ("" = all interfaces, as upstream) instead of always ":port".
func healthzServer(listenAddress string, port int, h healthz.Healthz) func(context.Context) error {
	target := h.AddTarget("healthz-server")
	return func(ctx context.Context) error {
		mux := http.NewServeMux()
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
			if !h.IsReady() {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		})

		ln, err := net.Listen("tcp", net.JoinHostPort(listenAddress, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		srv := &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 5 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return ctx },
		}
		serveErr := make(chan error, 1)
		go func() {
			log.Infof("Healthz server is listening on %s", ln.Addr())
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				serveErr <- err
				return
			}
			serveErr <- nil
		}()
		target.Ready()

		select {
		case err := <-serveErr:
			return err
		case <-ctx.Done():
		}
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return errors.Join(srv.Shutdown(shutdownCtx), <-serveErr)
	}
}
