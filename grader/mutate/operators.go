package mutate

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// The operators find their sites by syntax alone: the grader mutates a
// solution without its exercise's given files, so there are no types.
// A lock is a call of a method named Lock or RLock, a cancel func a call
// with no arguments of a name ending in "cancel", a ctx check a call of
// Err() or Done() on a variable: names that the course's code keeps to.

// visit records the sites of node n of a function body.
func (g *gen) visit(n ast.Node) {
	switch n := n.(type) {
	case *ast.BlockStmt:
		list := n.List
		if g.bodies[n] && len(list) > 0 {
			// A function's last return, deleted, is a compile error.
			if r, ok := list[len(list)-1].(*ast.ReturnStmt); ok && len(r.Results) > 0 {
				list = list[:len(list)-1]
				g.stmtList(n.List, len(list))
				return
			}
		}
		g.stmtList(n.List, len(list))
	case *ast.CaseClause:
		g.stmtList(n.Body, len(n.Body))
	case *ast.CommClause:
		g.stmtList(n.Body, len(n.Body))
	case *ast.FuncLit:
		g.returnEarly(n.Type, n.Body)
	case *ast.ExprStmt:
		if call, ok := n.X.(*ast.CallExpr); ok {
			g.callStmt(n, call, false)
		}
	case *ast.DeferStmt:
		g.callStmt(n, n.Call, true)
		g.add(RemoveDefer, n.Pos(), "delete "+quote(g.short(n)), g.remove(n))
		g.add(Undefer, n.Pos(), "run at once, not deferred: "+quote(g.short(n)),
			edit{g.off(n.Defer), g.off(n.Call.Pos()), ""})
	case *ast.GoStmt:
		g.add(RemoveGo, n.Pos(), "call on this goroutine, not a new one: "+quote(g.short(n)),
			edit{g.off(n.Go), g.off(n.Call.Pos()), ""})
	case *ast.IfStmt:
		g.negate(n.Cond)
		if n.Else == nil && (isCtxCheck(n.Init) || isCtxCheck(n.Cond)) {
			g.add(DropCtxCheck, n.Pos(), "delete the ctx check "+quote(g.short(n)), g.remove(n))
		}
	case *ast.ForStmt:
		if n.Cond != nil {
			g.negate(n.Cond)
		}
		if n.Cond != nil && n.Init == nil && n.Post == nil && waits(n.Body) {
			g.add(ForToIf, n.Pos(), "wait once: `for "+oneLine(g.text(n.Cond))+"` → `if`",
				edit{g.off(n.For), g.off(n.For) + len("for"), "if"})
		}
	case *ast.SelectStmt:
		g.selectStmt(n)
	case *ast.CallExpr:
		g.call(n)
	case *ast.BinaryExpr:
		g.binary(n)
	case *ast.IncDecStmt:
		to := map[token.Token]string{token.INC: "--", token.DEC: "++"}[n.Tok]
		g.add(Arith, n.TokPos, quote(g.short(n))+" → "+quote(g.text(n.X)+to),
			edit{g.off(n.TokPos), g.off(n.TokPos) + 2, to})
	case *ast.AssignStmt:
		if to, ok := map[token.Token]string{token.ADD_ASSIGN: "-=", token.SUB_ASSIGN: "+="}[n.Tok]; ok {
			g.add(Arith, n.TokPos, quote(n.Tok.String())+" → "+quote(to)+" in "+quote(g.short(n)),
				edit{g.off(n.TokPos), g.off(n.TokPos) + 2, to})
		}
	case *ast.BasicLit:
		g.constant(n)
	case *ast.Ident:
		if to, ok := map[string]string{"true": "false", "false": "true"}[n.Name]; ok {
			g.add(Constant, n.Pos(), quote(n.Name)+" → "+quote(to), g.replace(n, to))
		}
	}
}

// stmtList records the sites of the statements of one block: deleting
// each of the first deletable, and those about the locks taken and
// released in it.
func (g *gen) stmtList(list []ast.Stmt, deletable int) {
	for _, s := range list[:deletable] {
		if canDelete(s) {
			g.add(DeleteStmt, s.Pos(), "delete "+quote(g.short(s)), g.remove(s))
		}
	}
	var locks []int
	for i, s := range list {
		if lockCall(s, "Lock", "RLock") != "" {
			locks = append(locks, i)
		}
	}
	for k, i := range locks {
		recv := lockCall(list[i], "Lock", "RLock")
		if k+1 < len(locks) {
			// Two acquisitions of this block, the other way round.
			a, b := list[i], list[locks[k+1]]
			if g.text(a) != g.text(b) {
				g.add(SwapLocks, a.Pos(), "lock in the other order: "+quote(g.short(b))+" before "+quote(g.short(a)),
					g.replace(a, g.text(b)), g.replace(b, g.text(a)))
			}
		}
		// The first statement of the critical section, moved before the Lock.
		j := i + 1
		if j < len(list) && deferredUnlock(list[j]) == recv {
			j++
		}
		if j < len(list) && movable(list[j]) {
			s := list[j]
			if j == i+1 {
				g.add(MoveOutOfLock, s.Pos(), "move "+quote(g.short(s))+" before "+quote(g.short(list[i])), g.swap(list[i], s))
			} else {
				g.add(MoveOutOfLock, s.Pos(), "move "+quote(g.short(s))+" before "+quote(g.short(list[i])),
					g.insert(list[i].Pos(), g.text(s)+"\n"), edit{g.off(list[j-1].End()), g.off(s.End()), ""})
			}
		}
		// The Lock and its Unlock gone: the section is not guarded.
		if i+1 < len(list) && deferredUnlock(list[i+1]) == recv {
			g.add(Unsync, list[i].Pos(), "no lock: delete "+quote(g.short(list[i]))+" and "+quote(g.short(list[i+1])),
				g.remove(list[i]), g.remove(list[i+1]))
			continue
		}
		for _, u := range list[i+1:] {
			if lockCall(u, "Unlock", "RUnlock") == recv || deferredUnlock(u) == recv {
				g.add(Unsync, list[i].Pos(), "no lock: delete "+quote(g.short(list[i]))+" and "+quote(g.short(u)),
					g.remove(list[i]), g.remove(u))
				break
			}
		}
	}
	// The last statement of a critical section, moved after the Unlock.
	for u, s := range list {
		if lockCall(s, "Unlock", "RUnlock") == "" || u == 0 {
			continue
		}
		if prev := list[u-1]; movable(prev) {
			g.add(MoveOutOfLock, prev.Pos(), "move "+quote(g.short(prev))+" after "+quote(g.short(s)), g.swap(prev, s))
		}
	}
}

// swap is the edit that puts b, then a, where a and then b are.
func (g *gen) swap(a, b ast.Stmt) edit {
	between := string(g.src[g.off(a.End()):g.off(b.Pos())])
	return edit{g.off(a.Pos()), g.off(b.End()), g.text(b) + between + g.text(a)}
}

// canDelete reports whether deleting s can make a program that compiles:
// not a declaration, whose name the rest uses.
func canDelete(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.DeclStmt, *ast.LabeledStmt, *ast.EmptyStmt, *ast.BlockStmt:
		return false
	case *ast.AssignStmt:
		return s.Tok != token.DEFINE
	}
	return true
}

// movable reports whether s may move across a Lock or an Unlock: not
// another Lock or Unlock, nor a jump.
func movable(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ReturnStmt, *ast.BranchStmt, *ast.DeferStmt, *ast.LabeledStmt, *ast.EmptyStmt:
		return false
	}
	return lockCall(s, "Lock", "RLock", "Unlock", "RUnlock") == ""
}

// lockCall is the receiver of s when s is a call x.M() of one of methods,
// "" otherwise: "q.mu" for `q.mu.Lock()`.
func lockCall(s ast.Stmt, methods ...string) string {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return ""
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return ""
	}
	return methodCall(call, methods...)
}

// deferredUnlock is the receiver of `defer x.Unlock()`, "" for another statement.
func deferredUnlock(s ast.Stmt) string {
	if d, ok := s.(*ast.DeferStmt); ok {
		return methodCall(d.Call, "Unlock", "RUnlock")
	}
	return ""
}

// methodCall is x's source when call is x.M() with M one of methods.
func methodCall(call *ast.CallExpr, methods ...string) string {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || len(call.Args) != 0 {
		return ""
	}
	for _, m := range methods {
		if sel.Sel.Name == m {
			return exprString(sel.X)
		}
	}
	return ""
}

// exprString spells a receiver: idents and selectors, "" for anything else.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := exprString(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// callStmt records the sites of a call made as a statement (deferred or not).
func (g *gen) callStmt(s ast.Stmt, call *ast.CallExpr, deferred bool) {
	del := func(op Operator, what string) {
		g.add(op, s.Pos(), "delete "+what+" "+quote(g.short(s)), g.remove(s))
	}
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		switch {
		case fun.Name == "close" && len(call.Args) == 1:
			del(RemoveClose, "the close")
		case isCancel(fun.Name) && len(call.Args) == 0:
			del(RemoveCancel, "the cancel")
		}
	case *ast.SelectorExpr:
		name := fun.Sel.Name
		switch {
		case methodCall(call, "Unlock", "RUnlock") != "":
			del(RemoveUnlock, "the unlock")
		case isCancel(name) && len(call.Args) == 0:
			del(RemoveCancel, "the cancel")
		case name == "Done" && len(call.Args) == 0:
			del(RemoveDone, "the Done")
		case name == "Go" && len(call.Args) == 1 && !deferred:
			// wg.Go(f) is wg.Add(1); go func() { defer wg.Done(); f() }().
			g.add(RemoveDone, s.Pos(), quote(g.text(fun)+"(f)")+" → `go f()`: nobody waits for it",
				g.replace(fun, "go "), g.insert(call.Rparen+1, "()"))
		case name == "Do" && len(call.Args) == 1 && !deferred:
			if _, ok := call.Args[0].(*ast.FuncLit); ok {
				// once.Do(f) → f(): every caller runs it.
				g.add(Unsync, s.Pos(), quote(g.text(fun)+"(f)")+" → `f()`: every call runs it",
					edit{g.off(fun.Pos()), g.off(fun.End()), ""}, g.insert(call.Rparen+1, "()"))
			}
		}
	}
}

// isCancel reports whether a func named name is a context's cancel func.
func isCancel(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), "cancel")
}

// isCtxCheck reports whether n asks a context whether it has ended: a
// call of x.Err() or x.Done() on a variable x.
func isCtxCheck(n ast.Node) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && len(call.Args) == 0 {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Err" || sel.Sel.Name == "Done") {
				if _, ok := sel.X.(*ast.Ident); ok {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// waits reports whether a loop body waits: a select, a receive or a Wait
// call, outside any function literal.
func waits(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectStmt:
			found = true
		case *ast.UnaryExpr:
			found = found || n.Op == token.ARROW
		case *ast.CallExpr:
			found = found || methodCall(n, "Wait") != ""
		}
		return !found
	})
	return found
}

// negate records the site that negates cond.
func (g *gen) negate(cond ast.Expr) {
	neg := map[token.Token]string{
		token.EQL: "!=", token.NEQ: "==", token.LSS: ">=", token.GEQ: "<", token.GTR: "<=", token.LEQ: ">",
	}
	var e edit
	switch c := cond.(type) {
	case *ast.BinaryExpr:
		to, ok := neg[c.Op]
		if !ok {
			e = g.replace(c, "!("+g.text(c)+")")
			break
		}
		e = edit{g.off(c.OpPos), g.off(c.OpPos) + len(c.Op.String()), to}
	case *ast.UnaryExpr:
		if c.Op != token.NOT {
			return
		}
		e = edit{g.off(c.OpPos), g.off(c.OpPos) + 1, ""}
	case *ast.Ident, *ast.SelectorExpr, *ast.CallExpr, *ast.ParenExpr, *ast.IndexExpr:
		e = g.insert(c.Pos(), "!")
	default:
		e = g.replace(c, "!("+g.text(c)+")")
	}
	g.add(NegateCond, cond.Pos(), "negate "+quote(g.short(cond)), e)
}

// selectStmt records the sites of a select: each case dropped, a default
// added.
func (g *gen) selectStmt(s *ast.SelectStmt) {
	clauses := s.Body.List
	hasDefault := false
	for _, c := range clauses {
		cc := c.(*ast.CommClause)
		if cc.Comm == nil {
			hasDefault = true
		}
		if len(clauses) < 2 {
			continue
		}
		head := "default:"
		if cc.Comm != nil {
			head = "case " + g.short(cc.Comm) + ":"
		}
		if isCtxCheck(cc.Comm) {
			g.add(DropCtxCheck, cc.Pos(), "delete the ctx check "+quote(head)+" of the select", g.remove(cc))
		} else {
			g.add(DropSelectCase, cc.Pos(), "delete "+quote(head)+" of the select", g.remove(cc))
		}
	}
	if !hasDefault {
		g.add(SelectDefault, s.Pos(), "add `default:` to the select: it no longer waits",
			g.insert(s.Body.Rbrace, "default:\n"))
	}
}

// call records the sites of a call expression: Broadcast, and make(chan).
func (g *gen) call(c *ast.CallExpr) {
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Broadcast" && len(c.Args) == 0 {
		g.add(BroadcastToSignal, sel.Sel.Pos(), quote(g.short(c))+" → "+quote(g.text(sel.X)+".Signal()"), g.replace(sel.Sel, "Signal"))
	}
	fun, ok := c.Fun.(*ast.Ident)
	if !ok || fun.Name != "make" || len(c.Args) == 0 {
		return
	}
	if _, ok := c.Args[0].(*ast.ChanType); !ok {
		return
	}
	was := quote(g.short(c))
	if len(c.Args) == 1 {
		g.add(ChanBuffer, c.Pos(), was+" → buffered: "+quote("make("+g.text(c.Args[0])+", 1)"), g.insert(c.Rparen, ", 1"))
		return
	}
	size := c.Args[1]
	g.add(ChanBuffer, c.Pos(), was+" → unbuffered", edit{g.off(c.Args[0].End()), g.off(size.End()), ""})
	if lit, ok := size.(*ast.BasicLit); ok && lit.Kind == token.INT {
		if k, err := strconv.ParseInt(lit.Value, 0, 64); err == nil {
			g.add(ChanBuffer, c.Pos(), was+" → buffer "+strconv.FormatInt(k+1, 10), g.replace(size, strconv.FormatInt(k+1, 10)))
			if k > 1 {
				g.add(ChanBuffer, c.Pos(), was+" → buffer "+strconv.FormatInt(k-1, 10), g.replace(size, strconv.FormatInt(k-1, 10)))
			}
		}
		return
	}
	less := g.text(size) + "-1"
	if _, ok := size.(*ast.BinaryExpr); ok {
		less = "(" + g.text(size) + ")-1"
	}
	g.add(ChanBuffer, c.Pos(), was+" → buffer "+quote(less), g.replace(size, less))
}

// binary records the sites of a binary expression: its boundary, its
// arithmetic.
func (g *gen) binary(b *ast.BinaryExpr) {
	op := func(kind Operator, to string) {
		g.add(kind, b.OpPos, quote(b.Op.String())+" → "+quote(to)+" in "+quote(g.short(b)),
			edit{g.off(b.OpPos), g.off(b.OpPos) + len(b.Op.String()), to})
	}
	switch b.Op {
	case token.LSS:
		op(Boundary, "<=")
	case token.LEQ:
		op(Boundary, "<")
	case token.GTR:
		op(Boundary, ">=")
	case token.GEQ:
		op(Boundary, ">")
	case token.ADD:
		op(Arith, "-")
	case token.SUB:
		op(Arith, "+")
	}
}

// constant records the sites of an integer literal: one more, one less.
func (g *gen) constant(lit *ast.BasicLit) {
	if lit.Kind != token.INT {
		return
	}
	k, err := strconv.ParseInt(lit.Value, 0, 64)
	if err != nil {
		return
	}
	for _, to := range []int64{k + 1, k - 1} {
		if to < 0 {
			continue
		}
		s := strconv.FormatInt(to, 10)
		g.add(Constant, lit.Pos(), quote(lit.Value)+" → "+quote(s), g.replace(lit, s))
	}
}

// returnEarly records the sites that return from a function, with zero
// results, before each statement of its body: what follows is skipped.
func (g *gen) returnEarly(ft *ast.FuncType, body *ast.BlockStmt) {
	if body == nil {
		return
	}
	g.bodies[body] = true
	ret := "return"
	if ft.Results != nil {
		var zeros []string
		for _, f := range ft.Results.List {
			for range max(len(f.Names), 1) {
				zeros = append(zeros, "*new("+g.text(f.Type)+")")
			}
		}
		ret += " " + strings.Join(zeros, ", ")
	}
	for _, s := range body.List {
		// Zeros before `return nil` or `return false` are what it returns.
		if r, ok := s.(*ast.ReturnStmt); ok && allZero(r.Results) {
			continue
		}
		g.add(ReturnEarly, s.Pos(), "return early, before "+quote(g.short(s)), g.insert(s.Pos(), ret+"\n"))
	}
}

// allZero reports whether every expression is a zero value's literal:
// nil, false, 0 or "" (and so whether there are none).
func allZero(es []ast.Expr) bool {
	for _, e := range es {
		switch e := e.(type) {
		case *ast.Ident:
			if e.Name != "nil" && e.Name != "false" {
				return false
			}
		case *ast.BasicLit:
			if e.Value != "0" && e.Value != `""` {
				return false
			}
		default:
			return false
		}
	}
	return true
}
