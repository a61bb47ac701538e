// Package similar finds the submissions of a class that share code: for
// each exercise, it compares every student's student files with every
// other's and ranks the pairs by how much of each side the other covers.
//
// It exists because the tools instructors use for this (MOSS, a web
// service; JPlag, a Java program) are outside the grader, and stumble on
// what our exercises are: small, and all started from one stub. Here the
// course's stub and given files, and the fragments most of the class has,
// are subtracted before anything is compared.
//
// The method is winnowing (Schleimer, Wilkerson and Aiken, "Winnowing:
// local algorithms for document fingerprinting", SIGMOD 2003), the
// algorithm behind MOSS:
//
//   - each file is read with go/scanner; identifiers become one token,
//     literals another, comments and semicolons are dropped, so renaming,
//     comments and line breaks change nothing;
//   - the tokens are cut into top-level declarations, and k-grams never
//     cross one, so reordering functions changes nothing;
//   - every k-gram (K tokens) is hashed, and in each window of W
//     consecutive k-grams the smallest hash is a fingerprint: a match of
//     K+W-1 tokens or more always shares a fingerprint;
//   - an inverted index from fingerprint to students gives the pairs worth
//     comparing, so the cost grows with the fingerprints, not the pairs;
//     each such pair is then scored exactly, from all its k-grams.
//
// A pair's score is the share of each side's own tokens (those not base
// code) covered by k-grams the other side has too. Identical files score
// exactly 100%; a file that is only the stub has no tokens of its own and
// scores 0. See docs/similarity.md for the sizes chosen, and why.
//
// Similarity is evidence for a human to review, not a verdict: every
// output says so.
package similar
