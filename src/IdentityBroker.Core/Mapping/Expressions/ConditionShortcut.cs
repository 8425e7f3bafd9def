using static Cel.Internal.CelParser;

namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// A Condition of the common shapes decided directly on the claims map, without the <c>Cel</c> package's interpreter:
/// that interpreter visits the parse tree again on every evaluation (building its closures and the nodes' text each
/// time), which made each rule cost tens of AWS rules (docs/expression-rules.md, "Cost"). The shapes are the ones AWS's
/// Rules express and their combinations: <c>"v" in claims.x</c>, <c>claims.x == "v"</c> and <c>!=</c>,
/// <c>claims.x.startsWith/endsWith/contains("v")</c>, <c>has(claims.x.y)</c>, a bool claim, <c>provider == "v"</c>,
/// <c>true</c>/<c>false</c>, with <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and parentheses over them (a path is
/// <c>claims</c> with field selections and string indexes).
/// <para>
/// It decides only when every value read is what the shape expects (a string, a list of strings, maps along the path);
/// a missing claim, another type or anything else is undecided, and the package evaluates the whole condition as before,
/// so every error and its message stay the package's. What it decides copies the package's semantics: ordinal string
/// equality (<c>StringHelpers.CompareStringString</c>), ordinal prefix, suffix and substring tests, <c>in</c> on a list
/// by element equality, and <c>has()</c>'s "set and not empty". The tests compare both on every shape.
/// </para>
/// </summary>
internal abstract class ConditionShortcut
{
    /// <returns>The condition's value, or null when the package must evaluate it.</returns>
    public abstract bool? Decide(Dictionary<string, object?> claims, string provider);

    /// <summary>The shortcut for a checked condition, or null when its shape is not one of those above.</summary>
    /// <param name="literal">Gives a string literal's value as the package reads it (its escapes), at compile time.</param>
    public static ConditionShortcut? For(StartContext tree, Func<string, string?> literal)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(literal);
        return new Builder(literal).Expr(tree.expr());
    }

    private sealed class Builder(Func<string, string?> literal)
    {
        public ConditionShortcut? Expr(ExprContext e) => e.op is null ? Or(e.conditionalOr()[0]) : null;

        private ConditionShortcut? Or(ConditionalOrContext e) => Combine(e.conditionalAnd().Select(And).ToList(), any: true);

        private ConditionShortcut? And(ConditionalAndContext e) => Combine(e.relation().Select(Relation).ToList(), any: false);

        /// <summary>A part without a shortcut is one the package decides: only parts before it can settle the result.</summary>
        private static ConditionShortcut? Combine(List<ConditionShortcut?> parts, bool any) =>
            parts[0] is null ? null
            : parts.Count == 1 ? parts[0]
            : new Logical([.. parts.Select(p => p ?? Undecided.Instance)], any);

        private ConditionShortcut? Relation(RelationContext e)
        {
            if (e.calc() is { } calc)
            {
                return calc.unary() is { } unary ? Unary(unary) : null;
            }

            var sides = e.relation();
            var left = Inner(sides[0]);
            var right = Inner(sides[1]);
            return e.op.Text switch
            {
                "in" when Text(left) is { } value && Path.Of(right) is { } list => new InList(value, list),
                "==" or "!=" => Comparison(left, right, e.op.Text == "!="),
                _ => null,
            };
        }

        private Equal? Comparison(MemberContext? left, MemberContext? right, bool negate)
        {
            if (Text(right) is { } value && Operand.Of(left) is { } operand)
            {
                return new Equal(operand, value, negate);
            }

            return Text(left) is { } other && Operand.Of(right) is { } reversed ? new Equal(reversed, other, negate) : null;
        }

        private ConditionShortcut? Unary(UnaryContext e) => e switch
        {
            MemberExprContext m => Member(m.member()),
            LogicalNotContext n when Member(n.member()) is { } inner => n._ops.Count % 2 == 1 ? new Not(inner) : inner,
            _ => null,
        };

        private ConditionShortcut? Member(MemberContext e) => e switch
        {
            PrimaryExprContext { } p when p.primary() is NestedContext n => Expr(n.e),
            PrimaryExprContext { } p when p.primary() is ConstantLiteralContext { } c && c.literal() is BoolTrueContext or BoolFalseContext =>
                new Constant(c.literal() is BoolTrueContext),
            PrimaryExprContext { } p when p.primary() is IdentOrGlobalCallContext { op: not null, leadingDot: null } call => HasCall(call),
            MemberCallContext call => StringCall(call),
            _ when Path.Of(e) is { Steps.Length: > 0 } path => new BoolClaim(path),
            _ => null,
        };

        private static Has? HasCall(IdentOrGlobalCallContext call) =>
            call.id.Text == "has" && call.args?.expr() is [var arg] && Path.Of(Inner(arg)) is { Steps.Length: > 0 } path ? new Has(path) : null;

        private StringTest? StringCall(MemberCallContext call) =>
            call.id.Text is "startsWith" or "endsWith" or "contains"
            && call.args?.expr() is [var arg] && Text(Inner(arg)) is { } value && Path.Of(call.member()) is { Steps.Length: > 0 } path
                ? new StringTest(path, call.id.Text, value)
                : null;

        private string? Text(MemberContext? e) =>
            e is PrimaryExprContext { } p && p.primary() is ConstantLiteralContext { } c && c.literal() is StringContext s ? literal(s.GetText()) : null;

        private static MemberContext? Inner(RelationContext e) =>
            e.calc()?.unary() is MemberExprContext m ? m.member() : null;

        private static MemberContext? Inner(ExprContext e) =>
            e.op is null && e.conditionalOr() is [var or] && or.conditionalAnd() is [var and] && and.relation() is [var relation]
                ? Inner(relation)
                : null;
    }

    /// <summary><c>claims</c> and the keys below it, or <c>provider</c>.</summary>
    private sealed record Operand(Path? Path)
    {
        public static Operand? Of(MemberContext? e) =>
            e is PrimaryExprContext { } p && p.primary() is IdentOrGlobalCallContext { op: null, leadingDot: null } id && id.id.Text == "provider"
                ? new Operand((Path?)null)
                : Path.Of(e) is { } path ? new Operand(path) : null;

        public string? Read(Dictionary<string, object?> claims, string provider) =>
            Path is null ? provider : Path.Read(claims, out var value) ? value as string : null;
    }

    private sealed record Path(string[] Steps)
    {
        public static Path? Of(MemberContext? e) => e switch
        {
            PrimaryExprContext { } p when p.primary() is IdentOrGlobalCallContext { op: null, leadingDot: null } id && id.id.Text == "claims" => new Path([]),
            SelectContext { opt: null } s when Of(s.member()) is { } parent => new Path([.. parent.Steps, s.id.Text]),
            IndexContext { opt: null } i when Key(i.index) is { } key && Of(i.member()) is { } parent => new Path([.. parent.Steps, key]),
            _ => null,
        };

        /// <summary>Only plain, non-empty double-quoted keys without escapes: their text is their value (the package refuses an empty key).</summary>
        private static string? Key(ExprContext index)
        {
            var text = index.GetText();
            return text.Length > 2 && text[0] == '"' && text[^1] == '"' && text.IndexOfAny(['\\', '"'], 1, text.Length - 2) < 0 ? text[1..^1] : null;
        }

        /// <returns>False when a step is not a map holding the key (the package then has its own answer).</returns>
        public bool Read(Dictionary<string, object?> claims, out object? value) => ReadFrom(claims, Steps.Length, out value);

        /// <summary>The value after the first <paramref name="count"/> steps.</summary>
        public bool ReadFrom(Dictionary<string, object?> claims, int count, out object? value)
        {
            value = claims;
            for (var i = 0; i < count; i++)
            {
                if (value is not Dictionary<string, object?> map || !map.TryGetValue(Steps[i], out value))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class Constant(bool value) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider) => value;
    }

    /// <summary>A part of <c>&amp;&amp;</c> or <c>||</c> of another shape: always the package's.</summary>
    private sealed class Undecided : ConditionShortcut
    {
        public static readonly Undecided Instance = new();

        public override bool? Decide(Dictionary<string, object?> claims, string provider) => null;
    }

    /// <summary>
    /// In order, as the package evaluates <c>&amp;&amp;</c> and <c>||</c>: it returns at the first false (true for
    /// <c>||</c>) without evaluating the rest, and rethrows a missing field at once. So a part that settles the result
    /// decides only when every part before it was decided; an undecided part first leaves the whole to the package.
    /// </summary>
    private sealed class Logical(ConditionShortcut[] parts, bool any) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider)
        {
            foreach (var part in parts)
            {
                switch (part.Decide(claims, provider))
                {
                    case null:
                        return null;
                    case { } value when value == any:
                        return any;
                }
            }

            return !any;
        }
    }

    private sealed class Not(ConditionShortcut inner) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider) => !inner.Decide(claims, provider);
    }

    private sealed class BoolClaim(Path path) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider) =>
            path.Read(claims, out var value) && value is bool b ? b : null;
    }

    private sealed class Equal(Operand operand, string value, bool negate) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider) =>
            operand.Read(claims, provider) is { } actual ? string.Equals(actual, value, StringComparison.Ordinal) != negate : null;
    }

    private sealed class InList(string value, Path path) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider)
        {
            if (!path.Read(claims, out var read) || read is not List<object?> list)
            {
                return null;
            }

            var found = false;
            foreach (var item in list)
            {
                if (item is not string text)
                {
                    return null;
                }

                found |= string.Equals(text, value, StringComparison.Ordinal);
            }

            return found;
        }
    }

    private sealed class StringTest(Path path, string function, string value) : ConditionShortcut
    {
        public override bool? Decide(Dictionary<string, object?> claims, string provider)
        {
            if (!path.Read(claims, out var read) || read is not string text)
            {
                return null;
            }

            return function switch
            {
                "startsWith" => text.StartsWith(value, StringComparison.Ordinal),
                "endsWith" => text.EndsWith(value, StringComparison.Ordinal),
                _ => text.Contains(value, StringComparison.Ordinal),
            };
        }
    }

    private sealed class Has(Path path) : ConditionShortcut
    {
        /// <summary>The package's <c>has()</c> on the broker's claim values: absent or null is false, an empty string, list or map too.</summary>
        public override bool? Decide(Dictionary<string, object?> claims, string provider)
        {
            if (!path.ReadFrom(claims, path.Steps.Length - 1, out var parent) || parent is not Dictionary<string, object?> map)
            {
                return null;
            }

            if (!map.TryGetValue(path.Steps[^1], out var value))
            {
                return false;
            }

            return value switch
            {
                null => false,
                bool or long or double => true,
                string s => s.Length > 0,
                List<object?> l => l.Count > 0,
                Dictionary<string, object?> d => d.Count > 0,
                _ => null,
            };
        }
    }
}
