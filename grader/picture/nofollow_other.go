//go:build !unix

package picture

// noFollow: elsewhere, ReadDir's file type and Stat after opening are the
// only guards against a link.
const noFollow = 0
