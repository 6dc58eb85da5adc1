package kubelet

import (
	"errors"
	"fmt"
	"net/netip"
)

// ipam hands out a node's pod addresses as the host-local IPAM plugin does
// (containernetworking/plugins plugins/ipam/host-local): from the node's
// /24, skipping the network address, the gateway (.1) and the broadcast
// address; round robin from the last address handed out, so a released
// address is reused only after the others; an error when every address is
// in use.
type ipam struct {
	first, last netip.Addr // the range set, as host-local prints it: .1-.254
	next        netip.Addr // where the search for a free address starts
	inUse       map[netip.Addr]bool
}

// errNoPodCIDR is a node with no /24 left for it in the address space.
var errNoPodCIDR = errors.New("no pod address range left")

// newIPAM returns the IPAM of the index-th node: the index-th /24 after the
// first one of base (a prefix of /24 or wider).
func newIPAM(base netip.Prefix, index int) (*ipam, error) {
	a := base.Masked().Addr().As4()
	start := uint64(a[0])<<24 | uint64(a[1])<<16 | uint64(a[2])<<8
	start += uint64(index) << 8
	if start > 0xffffff00 {
		return nil, fmt.Errorf("%w: network.podCIDR %s gives node %d no /24 within 255.255.255.255", errNoPodCIDR, base, index)
	}
	addr := func(n uint64) netip.Addr {
		return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	}
	return &ipam{first: addr(start + 1), last: addr(start + 254), next: addr(start + 2), inUse: map[netip.Addr]bool{}}, nil
}

// allocate reserves the next free address.
func (m *ipam) allocate() (string, error) {
	ip := m.next
	for range 253 { // .2 to .254; .1 is the gateway
		free := !m.inUse[ip]
		cur := ip
		ip = ip.Next()
		if ip == m.last.Next() {
			ip = m.first.Next()
		}
		if free {
			m.inUse[cur] = true
			m.next = ip
			return cur.String(), nil
		}
	}
	// host-local's allocator.go: "failed to allocate for range %d: %v" around
	// "no IP addresses available in range set: %s".
	return "", fmt.Errorf("failed to allocate for range 0: no IP addresses available in range set: %s-%s", m.first, m.last)
}

// release returns an address, as the CNI DEL of a stopped sandbox does.
func (m *ipam) release(ip string) {
	if a, err := netip.ParseAddr(ip); err == nil {
		delete(m.inUse, a)
	}
}
