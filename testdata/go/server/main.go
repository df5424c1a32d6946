// Command server is the example traced in the seed article: an HTTP server on a
// loopback port whose handler reads name and year from the query, checks the
// site with a request to itself made from a new goroutine, and answers.
//
//	server -port 8080        (or GOTRACE_SERVER_PORT=8080; port 0 picks a free one)
//	curl 'http://127.0.0.1:8080/?name=GopherConRussia2020&year=2021'
//
// It prints "listening on http://127.0.0.1:PORT" once it accepts connections.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
)

var baseURL string

func main() {
	port := flag.Int("port", envPort(), "loopback port to listen on; 0 picks a free port")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		log.Fatal(err)
	}
	baseURL = "http://" + ln.Addr().String()

	mux := http.NewServeMux()
	mux.HandleFunc("/", handler)
	mux.HandleFunc("/ping", ping)
	fmt.Println("listening on " + baseURL)
	log.Fatal(http.Serve(ln, mux))
}

func envPort() int {
	if p, err := strconv.Atoi(os.Getenv("GOTRACE_SERVER_PORT")); err == nil {
		return p
	}
	return 8080
}

func handler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	status := checkSite()
	fmt.Fprint(w, prepareAnswer(name, year, status))
}

// checkSite asks the server itself for /ping from a new goroutine and returns
// the HTTP status it got (0 when the request failed).
func checkSite() int {
	ch := make(chan int)
	go func() {
		resp, err := http.Get(baseURL + "/ping")
		if err != nil {
			ch <- 0
			return
		}
		resp.Body.Close()
		ch <- resp.StatusCode
	}()
	return <-ch
}

//go:noinline
func prepareAnswer(name string, year int, status int) string {
	return fmt.Sprintf("Hello, %s! The year is %d and the site answered %d.\n", name, year, status)
}

func ping(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, "pong")
}
