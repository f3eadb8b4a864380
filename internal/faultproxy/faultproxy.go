// Package faultproxy is a TCP proxy for tests that puts a database out of
// reach on purpose: Cut closes every connection and refuses new ones (as
// a stopped server or a dead network would), Stall keeps connections open
// but stops passing bytes (as a hung server or a black-holed route would),
// and Restore ends either. Tests put it between wenming and PostgreSQL, so
// outages are tested without touching the shared database server.
package faultproxy

import (
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Proxy forwards connections on a loopback port to a target address.
type Proxy struct {
	target string
	addr   string

	mu      sync.Mutex
	lis     net.Listener // nil while cut
	links   map[*link]struct{}
	resume  chan struct{} // closed while bytes flow; open while stalled
	closed  bool
	serving sync.WaitGroup
}

// link is one client connection and its connection to the target.
type link struct {
	client, upstream net.Conn
	done             chan struct{}
	once             sync.Once
}

func (l *link) close() {
	l.once.Do(func() {
		close(l.done)
		l.client.Close()
		if l.upstream != nil {
			l.upstream.Close()
		}
	})
}

// Start listens on a free loopback port and forwards to target
// ("host:port").
func Start(target string) (*Proxy, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	open := make(chan struct{})
	close(open)
	p := &Proxy{target: target, addr: lis.Addr().String(), lis: lis, links: map[*link]struct{}{}, resume: open}
	p.serve(lis)
	return p, nil
}

// Addr is the proxy's address, the same across Cut and Restore.
func (p *Proxy) Addr() string { return p.addr }

// Cut closes every connection and the listening socket, so new
// connections are refused until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	lis := p.lis
	p.lis = nil
	links := p.takeLinks()
	p.mu.Unlock()
	if lis != nil {
		lis.Close()
	}
	for _, l := range links {
		l.close()
	}
}

// Stall stops forwarding: connections stay open and new ones are
// accepted, but no byte passes either way until Restore.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.resume:
		p.resume = make(chan struct{})
	default: // stalled already
	}
}

// Restore ends a cut or a stall. After a cut it listens on the same port
// again; connections that were stalled carry on where they stopped.
func (p *Proxy) Restore() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.resume:
	default:
		close(p.resume)
	}
	if p.lis != nil || p.closed {
		return nil
	}
	var err error
	// The port was ours a moment ago; another process taking it in
	// between is unlikely but is retried briefly rather than failing.
	for i := 0; i < 50; i++ {
		var lis net.Listener
		if lis, err = net.Listen("tcp", p.addr); err == nil {
			p.lis = lis
			p.serve(lis)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("faultproxy: listen again on %s: %w", p.addr, err)
}

// Close ends the proxy and every connection through it.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.Cut()
	p.mu.Lock()
	select {
	case <-p.resume:
	default:
		close(p.resume)
	}
	p.mu.Unlock()
	p.serving.Wait()
}

// takeLinks empties the link set; p.mu is held.
func (p *Proxy) takeLinks() []*link {
	out := make([]*link, 0, len(p.links))
	for l := range p.links {
		out = append(out, l)
	}
	clear(p.links)
	return out
}

func (p *Proxy) serve(lis net.Listener) {
	p.serving.Add(1)
	go func() {
		defer p.serving.Done()
		for {
			c, err := lis.Accept()
			if err != nil {
				return // closed by Cut or Close
			}
			l := &link{client: c, done: make(chan struct{})}
			p.mu.Lock()
			if p.lis != lis { // cut while accepting
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.links[l] = struct{}{}
			p.mu.Unlock()
			p.serving.Add(1)
			go func() {
				defer p.serving.Done()
				p.forward(l)
			}()
		}
	}()
}

// gate waits while the proxy is stalled; false means the link closed.
func (p *Proxy) gate(l *link) bool {
	p.mu.Lock()
	resume := p.resume
	p.mu.Unlock()
	select {
	case <-resume:
		return true
	case <-l.done:
		return false
	}
}

func (p *Proxy) forward(l *link) {
	defer func() {
		l.close()
		p.mu.Lock()
		delete(p.links, l)
		p.mu.Unlock()
	}()
	if !p.gate(l) {
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	p.mu.Lock()
	_, live := p.links[l]
	if live {
		l.upstream = up
	}
	p.mu.Unlock()
	if !live {
		up.Close()
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pipe(l, up, l.client); l.close() }()
	go func() { defer wg.Done(); p.pipe(l, l.client, up); l.close() }()
	wg.Wait()
}

// pipe copies src to dst, holding each chunk while the proxy is stalled.
func (p *Proxy) pipe(l *link, dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.gate(l) {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return // EOF or a closed connection: the caller closes both sides
		}
	}
}
