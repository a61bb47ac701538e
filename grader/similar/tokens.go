package similar

import (
	"go/scanner"
	"go/token"
)

// tok is one token of a student file, normalized: its kind is what the
// comparison sees, its place is what the report highlights.
type tok struct {
	kind     token.Token // IDENT for every identifier, INT for every literal
	file     int         // index of the file in the submission
	off, end int         // byte offsets in the file
	decl     int         // top-level declaration it belongs to, counted over the submission
}

// normalize is the kind a token is compared as, and false for a token that
// is not compared at all.
func normalize(t token.Token) (token.Token, bool) {
	switch {
	case t == token.COMMENT || t == token.SEMICOLON:
		// Comments say nothing of the code; semicolons, mostly inserted at
		// line ends, would make line breaks count.
		return 0, false
	case t == token.IDENT:
		return token.IDENT, true
	case t.IsLiteral():
		return token.INT, true
	}
	return t, true
}

// declStart are the keywords that start a top-level declaration.
var declStart = map[token.Token]bool{
	token.PACKAGE: true, token.IMPORT: true, token.FUNC: true,
	token.TYPE: true, token.VAR: true, token.CONST: true,
}

// tokenize appends the normalized tokens of src (file index fi) to toks,
// at most max in all, and cuts them into top-level declarations: a new one
// starts at a declaration keyword outside any bracket, and at each file's
// start. decl is the number of declarations so far; it returns the new
// tokens and count, and whether the file was cut at max. Errors of the
// scanner (a file that is not Go) are ignored: what scans is compared.
func tokenize(toks []tok, src []byte, fi, decl, max int) ([]tok, int, bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, func(token.Position, string) {}, 0)
	depth := 0
	decl++
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return toks, decl, false
		}
		switch t {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth = max0(depth - 1)
		}
		kind, ok := normalize(t)
		if !ok {
			continue
		}
		if len(toks) >= max {
			return toks, decl, true
		}
		if depth == 0 && declStart[t] {
			decl++
		}
		off := file.Offset(pos)
		end := off + len(lit)
		if lit == "" {
			end = off + len(t.String())
		}
		end = min(end, len(src))
		toks = append(toks, tok{kind: kind, file: fi, off: off, end: end, decl: decl})
	}
}

func max0(n int) int { return max(n, 0) }

// gramHash is the hash of the k tokens at toks[i:i+k] (FNV-1a, 64 bits,
// over the kinds): the same tokens give the same hash in every run.
func gramHash(toks []tok) uint64 {
	h := uint64(14695981039346656037)
	for _, t := range toks {
		v := uint64(t.kind)
		for b := 0; b < 2; b++ {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	return h
}
