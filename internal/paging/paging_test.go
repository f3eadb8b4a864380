package paging

import (
	"fmt"
	"slices"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		size      int32
		token     string
		wantSize  int
		wantAfter string
		wantErr   bool
	}{
		{name: "default size", size: 0, wantSize: 50},
		{name: "clamped to max", size: 1000, wantSize: 200},
		{name: "negative", size: -1, wantErr: true},
		{name: "round trip", size: 10, token: encode("0190abc"), wantSize: 10, wantAfter: "0190abc"},
		{name: "garbage token", size: 10, token: "!!", wantErr: true},
		{name: "token of another format", size: 10, token: "aGVsbG8", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v apierr.Violations
			p := Parse(&v, tt.size, tt.token, 50, 200)
			if gotErr := v.Err() != nil; gotErr != tt.wantErr {
				t.Fatalf("error = %v, want error %v", v.Err(), tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if p.Size != tt.wantSize || p.After != tt.wantAfter {
				t.Errorf("Parse = %+v, want size %d after %q", p, tt.wantSize, tt.wantAfter)
			}
		})
	}
}

func TestNextIsEmptyOnAShortPage(t *testing.T) {
	t.Parallel()
	p := Page{Size: 3}
	if got := p.Next(2, "k"); got != "" {
		t.Errorf("Next on a short page = %q, want empty", got)
	}
	if got := p.Next(3, "k"); got != encode("k") {
		t.Errorf("Next on a full page = %q, want token for k", got)
	}
}

func TestMapConvertsItemsAndTokensTheLastKey(t *testing.T) {
	t.Parallel()
	double := func(n int) int { return 2 * n }
	key := func(n int) string { return fmt.Sprint(n) }
	for _, tc := range []struct {
		name      string
		items     []int
		want      []int
		wantAfter string // the key the next token carries; "" for no token
	}{
		{name: "full page", items: []int{3, 2}, want: []int{6, 4}, wantAfter: "2"},
		{name: "short page", items: []int{1}, want: []int{2}},
		{name: "empty page", items: nil, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, token := Map(Page{Size: 2}, tc.items, double, key)
			if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("items = %#v, want %#v", got, tc.want)
			}
			after, _ := decode(token)
			if token == "" {
				after = ""
			}
			if after != tc.wantAfter {
				t.Errorf("token carries %q, want %q", after, tc.wantAfter)
			}
		})
	}
}
