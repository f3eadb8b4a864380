package backup

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/wenming/wenming/internal/rpc"
)

// Fingerprint names a server secret without revealing it: the first 8
// bytes, in hex, of SHA-256 over a sub-key derived for this purpose alone,
// so it shares nothing with the keys that encrypt contacts. It returns ""
// for no secret.
func Fingerprint(secret []byte) string {
	sub := rpc.Deps{Secret: secret}.SubKey("key fingerprint v1")
	if sub == nil {
		return ""
	}
	sum := sha256.Sum256(sub)
	return hex.EncodeToString(sum[:8])
}
