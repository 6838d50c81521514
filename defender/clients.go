package defender

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
)

// clientCache holds one client per connection. A connection whose
// configuration changed gets a new client, and the old one's idle
// connections are closed, so no MSAL client or transport outlives its
// configuration.
type clientCache struct {
	mu sync.Mutex
	m  map[string]cachedClient
}

type cachedClient struct {
	key    string
	client *client
}

// clients is the plugin's client cache.
var clients = &clientCache{m: map[string]cachedClient{}}

// get returns the connection's client for cfg, building it with build
// when there is none or the configuration changed.
func (cc *clientCache) get(connection string, cfg Config, build func() (*client, error)) (*client, error) {
	key, err := configKey(cfg)
	if err != nil {
		return nil, err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	old, ok := cc.m[connection]
	if ok && old.key == key {
		return old.client, nil
	}
	c, err := build()
	if err != nil {
		return nil, err
	}
	if ok {
		old.client.close()
	}
	cc.m[connection] = cachedClient{key: key, client: c}
	return c, nil
}

// configKey is a digest of the whole decoded configuration: every field
// of Config takes part, including fields added later, and the secrets in
// it are not kept in memory as a readable key.
func configKey(cfg Config) (string, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
