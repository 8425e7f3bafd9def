using Antlr4.Runtime;
using Cel.Internal;
using static Cel.Internal.CelParser;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>A problem the checker found, at a 1-based line and column of the expression.</summary>
public sealed record ExpressionProblem(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>What the checker learnt of an expression: its static type and its worst-case cost.</summary>
public sealed record ExpressionShape(ExpressionType Type, long Cost);

/// <summary>
/// The type checker and cost estimator the <c>Cel</c> package lacks (docs/expression-rules.md, "Library"): it walks the
/// package's own parse tree, so the language is exactly the one the package evaluates. It refuses names the rule
/// environment does not declare, fields the <c>identity</c> and <c>request</c> objects do not have, functions the package
/// does not provide, and operators on types they cannot apply to, each at its position. The cost is an upper bound on
/// the nodes evaluated: a comprehension (<c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c>, <c>filter</c>) costs
/// its body times the size of its range — a literal list's length, else <see cref="ExpressionLimits.MaxListSize"/>, which
/// evaluation enforces on the inputs.
/// </summary>
public sealed class ExpressionChecker
{
    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal) { "all", "exists", "exists_one", "map", "filter" };

    private static readonly HashSet<string> StringPredicates = new(StringComparer.Ordinal) { "startsWith", "endsWith", "contains", "matches" };

    private static readonly HashSet<string> TimeGetters = new(StringComparer.Ordinal)
    {
        "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
    };

    private readonly List<ExpressionProblem> _problems = [];
    private readonly Stack<string> _scope = new();

    public IReadOnlyList<ExpressionProblem> Problems => _problems;

    public static (ExpressionShape Shape, IReadOnlyList<ExpressionProblem> Problems) Check(StartContext tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var checker = new ExpressionChecker();
        var shape = checker.Expr(tree.expr());
        return (shape, checker.Problems);
    }

    private ExpressionShape Expr(ExprContext e)
    {
        var ors = e.conditionalOr();
        var condition = Or(ors[0]);
        if (e.op is null)
        {
            return condition;
        }

        Want(condition.Type, ExpressionType.Bool, e.op, "the condition of '?:'");
        var whenTrue = Or(ors[1]);
        var whenFalse = Expr(e.expr());
        var type = ReferenceEquals(whenTrue.Type, whenFalse.Type) ? whenTrue.Type : ExpressionType.Dyn;
        return new ExpressionShape(type, 1 + condition.Cost + Math.Max(whenTrue.Cost, whenFalse.Cost));
    }

    private ExpressionShape Or(ConditionalOrContext e) => Logical(e.conditionalAnd().Select(And).ToList(), e.Start, "||");

    private ExpressionShape And(ConditionalAndContext e) => Logical(e.relation().Select(Relation).ToList(), e.Start, "&&");

    private ExpressionShape Logical(List<ExpressionShape> parts, IToken at, string op)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        foreach (var part in parts)
        {
            Want(part.Type, ExpressionType.Bool, at, $"an operand of '{op}'");
        }

        return new ExpressionShape(ExpressionType.Bool, parts.Count + parts.Sum(p => p.Cost));
    }

    private ExpressionShape Relation(RelationContext e)
    {
        if (e.calc() is { } calc)
        {
            return Calc(calc);
        }

        var sides = e.relation();
        var left = Relation(sides[0]);
        var right = Relation(sides[1]);
        var op = e.op.Text;
        var cost = 1 + left.Cost + right.Cost;
        if (op == "in")
        {
            if (!right.Type.IsDyn && right.Type != ExpressionType.List && right.Type != ExpressionType.Map)
            {
                Problem(e.op, $"'in' needs a list or a map on its right, not {right.Type}");
            }

            return new ExpressionShape(ExpressionType.Bool, cost + ExpressionLimits.MaxListSize);
        }

        if (!Comparable(left.Type, right.Type, ordering: op is not ("==" or "!=")))
        {
            Problem(e.op, $"no overload of '{op}' for {left.Type} and {right.Type}");
        }

        return new ExpressionShape(ExpressionType.Bool, cost);
    }

    private static bool Comparable(ExpressionType a, ExpressionType b, bool ordering)
    {
        if (a.IsDyn || b.IsDyn || (a.IsNumber && b.IsNumber))
        {
            return true;
        }

        if (!ordering && (a == ExpressionType.Null || b == ExpressionType.Null))
        {
            return true;
        }

        return a == b && (!ordering || a != ExpressionType.Map && a != ExpressionType.List && a != ExpressionType.Null);
    }

    private ExpressionShape Calc(CalcContext e)
    {
        if (e.unary() is { } unary)
        {
            return Unary(unary);
        }

        var sides = e.calc();
        var left = Calc(sides[0]);
        var right = Calc(sides[1]);
        var type = Arithmetic(e.op.Text, left.Type, right.Type);
        if (type is null)
        {
            Problem(e.op, $"no overload of '{e.op.Text}' for {left.Type} and {right.Type}");
        }

        return new ExpressionShape(type ?? ExpressionType.Dyn, 1 + left.Cost + right.Cost);
    }

    private static ExpressionType? Arithmetic(string op, ExpressionType a, ExpressionType b)
    {
        if (a.IsDyn || b.IsDyn)
        {
            return ExpressionType.Dyn;
        }

        if (a == b && a.IsNumber)
        {
            return a;
        }

        return (op, a.Name, b.Name) switch
        {
            ("+", "string", "string") or ("+", "bytes", "bytes") or ("+", "list", "list") => a,
            ("+", "google.protobuf.Timestamp", "google.protobuf.Duration") or ("+", "google.protobuf.Duration", "google.protobuf.Timestamp") => ExpressionType.Timestamp,
            ("+", "google.protobuf.Duration", "google.protobuf.Duration") or ("-", "google.protobuf.Duration", "google.protobuf.Duration") => ExpressionType.Duration,
            ("-", "google.protobuf.Timestamp", "google.protobuf.Timestamp") => ExpressionType.Duration,
            ("-", "google.protobuf.Timestamp", "google.protobuf.Duration") => ExpressionType.Timestamp,
            _ => null,
        };
    }

    private ExpressionShape Unary(UnaryContext e) => e switch
    {
        MemberExprContext m => Member(m.member()),
        LogicalNotContext n => Not(n),
        NegateContext n => Negate(n),
        _ => Unsupported(e.Start),
    };

    private ExpressionShape Not(LogicalNotContext e)
    {
        var inner = Member(e.member());
        Want(inner.Type, ExpressionType.Bool, e.Start, "the operand of '!'");
        return new ExpressionShape(ExpressionType.Bool, 1 + inner.Cost);
    }

    private ExpressionShape Negate(NegateContext e)
    {
        var inner = Member(e.member());
        if (!inner.Type.IsDyn && !inner.Type.IsNumber && inner.Type != ExpressionType.Duration)
        {
            Problem(e.Start, $"no overload of unary '-' for {inner.Type}");
        }

        return new ExpressionShape(inner.Type, 1 + inner.Cost);
    }

    private ExpressionShape Member(MemberContext e) => e switch
    {
        PrimaryExprContext p => Primary(p.primary()),
        SelectContext s => Select(s),
        MemberCallContext c => MemberCall(c),
        IndexContext i => Index(i),
        _ => Unsupported(e.Start),
    };

    private ExpressionShape Select(SelectContext e)
    {
        var target = Member(e.member());
        var field = e.id.Text;
        var cost = 1 + target.Cost;
        if (target.Type.Fields is { } fields)
        {
            if (fields.TryGetValue(field, out var type))
            {
                return new ExpressionShape(type, cost);
            }

            Problem(e.id, $"{target.Type} has no field '{field}' (its fields: {string.Join(", ", fields.Keys)})");
            return new ExpressionShape(ExpressionType.Dyn, cost);
        }

        if (!target.Type.IsDyn && target.Type != ExpressionType.Map)
        {
            Problem(e.id, $"{target.Type} has no fields (selecting '{field}')");
        }

        return new ExpressionShape(ExpressionType.Dyn, cost);
    }

    private ExpressionShape Index(IndexContext e)
    {
        var target = Member(e.member());
        var index = Expr(e.index);
        if (target.Type == ExpressionType.List && !index.Type.Fits(ExpressionType.Int))
        {
            Problem(e.op, $"a list index is an int, not {index.Type}");
        }
        else if (!target.Type.IsDyn && target.Type != ExpressionType.List && target.Type != ExpressionType.Map)
        {
            Problem(e.op, $"{target.Type} cannot be indexed");
        }

        return new ExpressionShape(ExpressionType.Dyn, 1 + target.Cost + index.Cost);
    }

    private ExpressionShape MemberCall(MemberCallContext e)
    {
        var name = e.id.Text;
        var args = e.args?.expr() ?? [];
        if (Macros.Contains(name))
        {
            return Comprehension(e, name, args);
        }

        var target = Member(e.member());
        var shapes = args.Select(Expr).ToList();
        var cost = 1 + target.Cost + shapes.Sum(s => s.Cost);
        return new ExpressionShape(MethodType(e.id, name, target.Type, shapes) ?? ExpressionType.Dyn, cost);
    }

    private ExpressionType? MethodType(IToken at, string name, ExpressionType target, List<ExpressionShape> args)
    {
        if (StringPredicates.Contains(name))
        {
            Want(target, ExpressionType.String, at, $"the receiver of {name}()");
            Arity(at, name, args, 1);
            if (args.Count == 1)
            {
                Want(args[0].Type, ExpressionType.String, at, $"the argument of {name}()");
            }

            return ExpressionType.Bool;
        }

        if (TimeGetters.Contains(name))
        {
            if (!target.Fits(ExpressionType.Timestamp) && !(target == ExpressionType.Duration && name is "getHours" or "getMinutes" or "getSeconds" or "getMilliseconds"))
            {
                Problem(at, $"{name}() applies to a timestamp, not {target}");
            }

            if (args.Count > 1 || (args.Count == 1 && !args[0].Type.Fits(ExpressionType.String)))
            {
                Problem(at, $"{name}() takes no argument or a time-zone string");
            }

            return ExpressionType.Int;
        }

        if (name == "size")
        {
            Arity(at, name, args, 0);
            return ExpressionType.Int;
        }

        Problem(at, $"unknown function '{name}' (the Cel library provides startsWith, endsWith, contains, matches, size and the timestamp getters as methods)");
        return null;
    }

    private ExpressionShape Comprehension(MemberCallContext e, string name, ExprContext[] args)
    {
        var range = Member(e.member());
        if (!range.Type.IsDyn && range.Type != ExpressionType.List && range.Type != ExpressionType.Map)
        {
            Problem(e.id, $"{name}() ranges over a list or a map, not {range.Type}");
        }

        if (args.Length != 2 || Identifier(args[0]) is not { } variable)
        {
            Problem(e.id, $"{name}() takes a variable name and an expression, e.g. {name}(g, g == \"admins\")");
            return new ExpressionShape(ExpressionType.Dyn, range.Cost);
        }

        _scope.Push(variable);
        var body = Expr(args[1]);
        _scope.Pop();
        if (name is not "map")
        {
            Want(body.Type, ExpressionType.Bool, e.id, $"the predicate of {name}()");
        }

        var size = Size(e.member());
        var type = name is "map" or "filter" ? ExpressionType.List : ExpressionType.Bool;
        return new ExpressionShape(type, range.Cost + 1 + Math.Min(Saturating(size, body.Cost + 1), long.MaxValue / 2));
    }

    /// <summary>A list literal's length; anything else may be as long as evaluation allows.</summary>
    private static long Size(MemberContext range) =>
        range is PrimaryExprContext { } p && p.primary() is CreateListContext list
            ? list.listInit()?.optExpr().Length ?? 0
            : ExpressionLimits.MaxListSize;

    private static string? Identifier(ExprContext e) =>
        e.op is null && e.conditionalOr() is [var or] && or.conditionalAnd() is [var and] && and.relation() is [var rel]
        && rel.calc()?.unary() is MemberExprContext m && m.member() is PrimaryExprContext p && p.primary() is IdentOrGlobalCallContext id
        && id.op is null
            ? id.id.Text
            : null;

    private ExpressionShape Primary(PrimaryContext e) => e switch
    {
        IdentOrGlobalCallContext id => id.op is null ? Ident(id) : GlobalCall(id),
        NestedContext n => Expr(n.e),
        CreateListContext l => List(l),
        CreateStructContext s => Struct(s),
        ConstantLiteralContext c => Literal(c.literal()),
        _ => Unsupported(e.Start),
    };

    private ExpressionShape Ident(IdentOrGlobalCallContext e)
    {
        var name = e.id.Text;
        if (_scope.Contains(name))
        {
            return new ExpressionShape(ExpressionType.Dyn, 1);
        }

        if (ExpressionType.Variables.TryGetValue(name, out var type))
        {
            return new ExpressionShape(type, 1);
        }

        Problem(e.id, $"undeclared reference '{name}' (declared: {string.Join(", ", ExpressionType.Variables.Keys)})");
        return new ExpressionShape(ExpressionType.Dyn, 1);
    }

    private ExpressionShape GlobalCall(IdentOrGlobalCallContext e)
    {
        var name = e.id.Text;
        var args = e.args?.expr() ?? [];
        if (name == "has")
        {
            if (args.Length != 1 || !IsSelect(args[0]))
            {
                Problem(e.id, "has() takes one field selection, e.g. has(claims.groups)");
            }

            return new ExpressionShape(ExpressionType.Bool, 1 + args.Sum(a => Expr(a).Cost));
        }

        var shapes = args.Select(Expr).ToList();
        var cost = 1 + shapes.Sum(s => s.Cost);
        ExpressionType? type = name switch
        {
            "size" when Arity(e.id, name, shapes, 1) => ExpressionType.Int,
            "timestamp" when Arity(e.id, name, shapes, 1) => ExpressionType.Timestamp,
            "duration" when Arity(e.id, name, shapes, 1) => ExpressionType.Duration,
            "string" when Arity(e.id, name, shapes, 1) => ExpressionType.String,
            "int" when Arity(e.id, name, shapes, 1) => ExpressionType.Int,
            "uint" when Arity(e.id, name, shapes, 1) => ExpressionType.Uint,
            "double" when Arity(e.id, name, shapes, 1) => ExpressionType.Double,
            "dyn" when Arity(e.id, name, shapes, 1) => ExpressionType.Dyn,
            "size" or "timestamp" or "duration" or "string" or "int" or "uint" or "double" or "dyn" => ExpressionType.Dyn,
            _ => null,
        };
        if (type is null)
        {
            Problem(e.id, $"unknown function '{name}'");
        }

        return new ExpressionShape(type ?? ExpressionType.Dyn, cost);
    }

    private static bool IsSelect(ExprContext e) =>
        e.op is null && e.conditionalOr() is [var or] && or.conditionalAnd() is [var and] && and.relation() is [var rel]
        && rel.calc()?.unary() is MemberExprContext { } m && m.member() is SelectContext;

    private ExpressionShape List(CreateListContext e)
    {
        var items = (e.listInit()?.optExpr() ?? []).Select(o => Expr(o.e)).ToList();
        return new ExpressionShape(ExpressionType.List, 1 + items.Sum(i => i.Cost));
    }

    private ExpressionShape Struct(CreateStructContext e)
    {
        var entries = e.mapInitializerList();
        var keys = (entries?.optExpr() ?? []).Select(o => Expr(o.e));
        var values = (entries?.expr() ?? []).Select(Expr);
        return new ExpressionShape(ExpressionType.Map, 1 + keys.Concat(values).Sum(s => s.Cost));
    }

    private static ExpressionShape Literal(LiteralContext e) => new(e switch
    {
        IntContext => ExpressionType.Int,
        UintContext => ExpressionType.Uint,
        DoubleContext => ExpressionType.Double,
        StringContext => ExpressionType.String,
        BytesContext => ExpressionType.Bytes,
        BoolTrueContext or BoolFalseContext => ExpressionType.Bool,
        _ => ExpressionType.Null,
    }, 1);

    private ExpressionShape Unsupported(IToken at)
    {
        Problem(at, "this construct (message creation) is not available to rules");
        return new ExpressionShape(ExpressionType.Dyn, 1);
    }

    private bool Arity(IToken at, string name, List<ExpressionShape> args, int count)
    {
        if (args.Count == count)
        {
            return true;
        }

        Problem(at, $"{name}() takes {count} argument{(count == 1 ? string.Empty : "s")}, not {args.Count}");
        return false;
    }

    private void Want(ExpressionType actual, ExpressionType wanted, IToken at, string what)
    {
        if (!actual.Fits(wanted))
        {
            Problem(at, $"{what} must be {wanted}, not {actual}");
        }
    }

    private void Problem(IToken at, string message) => _problems.Add(new ExpressionProblem(at.Line, at.Column + 1, message));

    private static long Saturating(long a, long b) => a > long.MaxValue / Math.Max(b, 1) ? long.MaxValue : a * b;
}
