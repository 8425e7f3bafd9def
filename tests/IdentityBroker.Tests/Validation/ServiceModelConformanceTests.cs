using IdentityBroker.Errors;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Validation;

namespace IdentityBroker.Tests.Validation;

/// <summary>
/// Proves the validation rules are the model's: for every operation below, every constrained member (nested ones too)
/// gets a violating value generated from cognito-identity.service-2.json, and the validator must reject it naming that
/// member with the constraint's wording; values built from the model, including values on its bounds, must pass.
/// </summary>
[TestFixture]
public sealed class ServiceModelConformanceTests
{
    private static readonly (string Operation, Type Request)[] Operations =
    [
        ("CreateIdentityPool", typeof(CreateIdentityPoolRequest)),
        ("UpdateIdentityPool", typeof(IdentityPoolShape)),
        ("DescribeIdentityPool", typeof(IdentityPoolIdRequest)),
        ("DeleteIdentityPool", typeof(IdentityPoolIdRequest)),
        ("GetIdentityPoolRoles", typeof(IdentityPoolIdRequest)),
        ("ListIdentityPools", typeof(ListIdentityPoolsRequest)),
        ("GetId", typeof(GetIdRequest)),
        ("GetOpenIdToken", typeof(GetOpenIdTokenRequest)),
        ("GetCredentialsForIdentity", typeof(GetCredentialsForIdentityRequest)),
        ("DescribeIdentity", typeof(IdentityIdRequest)),
        ("ListIdentities", typeof(ListIdentitiesRequest)),
        ("DeleteIdentities", typeof(DeleteIdentitiesRequest)),
        ("SetIdentityPoolRoles", typeof(SetIdentityPoolRolesRequest)),
        ("UnlinkIdentity", typeof(UnlinkIdentityRequest)),
        ("GetOpenIdTokenForDeveloperIdentity", typeof(GetOpenIdTokenForDeveloperIdentityRequest)),
        ("LookupDeveloperIdentity", typeof(LookupDeveloperIdentityRequest)),
        ("MergeDeveloperIdentities", typeof(MergeDeveloperIdentitiesRequest)),
        ("UnlinkDeveloperIdentity", typeof(UnlinkDeveloperIdentityRequest)),
    ];

    /// <summary>Strings whose verdict differs between Java and naive .NET regex semantics.</summary>
    private static readonly string[] Probes =
    [
        "a", "Z9_", "a b", "a\tb", "a\u000Bb", "a\u00A0b", "é", "ß", "٣", "x\n", "\nx", "x\r", "x:y", "x/y", "x;y", "x.y", "x@y",
        "x=y", "x+y", "x,y", "x-y", "x#y", "\u0001", "\u00AD", "us-east-1:abc-123", "us-east-1:ABC", "authenticated",
        "unauthenticated", "Authenticated", "unauthenticatedx", "cognito:groups", "!", "\u2028", "\U0001F600", "\uD800",
    ];

    private static IEnumerable<TestCaseData> OperationCases() =>
        Operations.Select(o => new TestCaseData(o.Operation, o.Request).SetName($"{o.Operation} built from the model"));

    private static IEnumerable<TestCaseData> ViolationCases()
    {
        foreach (var (operation, request) in Operations)
        {
            foreach (var slot in SlotsOf(operation, request))
            {
                foreach (var (what, value, expected, secret) in Violations(slot))
                {
                    yield return new TestCaseData(operation, request, slot, value, expected, secret)
                        .SetName($"{operation} {slot.Path} ({slot.Kind}) {what}");
                }
            }
        }
    }

    private static IEnumerable<TestCaseData> BoundaryCases()
    {
        foreach (var (operation, request) in Operations)
        {
            foreach (var slot in SlotsOf(operation, request))
            {
                foreach (var (what, value) in OnBounds(slot))
                {
                    yield return new TestCaseData(operation, request, slot, value).SetName($"{operation} {slot.Path} ({slot.Kind}) {what}");
                }
            }
        }
    }

    private static IEnumerable<TestCaseData> PatternCases() =>
        Operations.SelectMany(o => SlotsOf(o.Operation, o.Request)
            .Where(s => s.Shape.IsPlainString && s.Shape.Pattern is not null)
            .Select(s => new TestCaseData(o.Operation, o.Request, s).SetName($"{o.Operation} {s.Path} ({s.Kind}) pattern {s.Shape.Pattern}")));

    [TestCaseSource(nameof(OperationCases))]
    public void A_request_built_from_the_model_passes(string operation, Type request) =>
        Assert.That(Validate(request, Baseline(operation, request)), Is.Null);

    [TestCaseSource(nameof(ViolationCases))]
    public void A_value_violating_the_model_is_rejected_naming_its_member(string operation, Type request, Slot slot, object? value,
        string expected, string? secret)
    {
        var target = Baseline(operation, request);
        slot.Put(value)(target);

        var error = Validate(request, target);

        Assert.That(error, Is.Not.Null, $"{slot.Path} accepted a value the model forbids");
        Assert.Multiple(() =>
        {
            Assert.That(error!.Type, Is.EqualTo("ValidationException"));
            Assert.That(error.Message, Does.Match(@"^\d+ validation errors? detected: "));
            Assert.That(error.Message, Does.Contain(expected));
            if (secret is not null)
            {
                Assert.That(error.Message, Does.Not.Contain(secret));
            }
        });
    }

    [TestCaseSource(nameof(BoundaryCases))]
    public void A_value_on_the_model_bounds_passes(string operation, Type request, Slot slot, object? value)
    {
        var target = Baseline(operation, request);
        slot.Put(value)(target);

        Assert.That(Validate(request, target)?.Message, Is.Null);
    }

    [TestCaseSource(nameof(PatternCases))]
    public void Patterns_are_matched_with_Java_semantics(string operation, Type request, Slot slot)
    {
        var shape = slot.Shape;
        var fragment = slot.Kind == SlotKind.Member
            ? $"at '{slot.Path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {shape.Pattern}"
            : $"at '{slot.Path}' failed to satisfy constraint: {slot.ElementPrefix}{shape.Bracket()}";
        var unicodeClasses = shape.Pattern!.Contains(@"\p{", StringComparison.Ordinal);
        var probes = Probes.Append(ModelValues.Sample(shape))
            .Where(p => p.Length >= (shape.Min ?? 0) && p.Length <= (shape.Max ?? int.MaxValue))
            // The oracle sees UTF-16 units; for \p{…} classes it cannot judge surrogates (hand-written cases cover them).
            .Where(p => !unicodeClasses || !p.Any(char.IsSurrogate));

        Assert.Multiple(() =>
        {
            foreach (var probe in probes)
            {
                var target = Baseline(operation, request);
                slot.Put(probe)(target);
                var rejected = Validate(request, target)?.Message.Contains(fragment, StringComparison.Ordinal) ?? false;
                var expectedRejected = !shape.JavaMatches(probe) && !IsDocumentedDeviation(shape.Pattern, probe);
                Assert.That(rejected, Is.EqualTo(expectedRejected), $"probe {Escape(probe)}");
            }
        });
    }

    [Test]
    public void Every_sample_satisfies_its_model_shape()
    {
        var shapes = Operations.SelectMany(o => SlotsOf(o.Operation, o.Request)).Select(s => s.Shape)
            .Where(s => s.IsPlainString).DistinctBy(s => s.Name);

        Assert.Multiple(() =>
        {
            foreach (var shape in shapes)
            {
                var sample = ModelValues.Sample(shape);
                Assert.That(sample.Length, Is.InRange(shape.Min ?? 0, shape.Max ?? int.MaxValue), shape.Name);
                Assert.That(shape.Pattern is null || shape.JavaMatches(sample), Is.True, shape.Name);
            }
        });
    }

    private static IEnumerable<Slot> SlotsOf(string operation, Type request) =>
        ModelValues.Slots(ServiceModel.Cognito.Shape(ServiceModel.Cognito.InputShapeOf(operation)), request, string.Empty);

    private static object Baseline(string operation, Type request) =>
        ModelValues.Valid(ServiceModel.Cognito.Shape(ServiceModel.Cognito.InputShapeOf(operation)), request)!;

    private static AwsError? Validate(Type request, object target) =>
        (AwsError?)typeof(RequestValidation).GetMethod(nameof(RequestValidation.Validate))!
            .MakeGenericMethod(request).Invoke(null, [target]);

    /// <summary>Values that break exactly one model constraint of the slot, with the wording AWS uses for it.</summary>
    private static IEnumerable<(string What, object? Value, string Expected, string? Secret)> Violations(Slot slot)
    {
        var shape = slot.Shape;
        var at = $"at '{slot.Path}' failed to satisfy constraint: ";
        if (slot.Required)
        {
            yield return ("missing", null, $"Value null {at}Member must not be null", null);
        }

        if (slot.Kind != SlotKind.Member)
        {
            // A collection element: one bracketed error listing every constraint of the element shape.
            var shown = slot.Kind == SlotKind.MapValue && shape.Sensitive ? $"Value {at}" : at;
            foreach (var (what, broken) in BrokenStrings(shape))
            {
                var secret = shape.Sensitive && broken.Length > 0 ? broken[..Math.Min(broken.Length, 40)] : null;
                yield return ($"element {what}", broken, shown + slot.ElementPrefix + shape.Bracket(), secret);
            }

            yield break;
        }

        foreach (var violation in MemberViolations(slot, at))
        {
            yield return violation;
        }
    }

    private static IEnumerable<(string, object?, string, string?)> MemberViolations(Slot slot, string at)
    {
        var shape = slot.Shape;
        var echo = shape.Sensitive ? "Value " : "' ";
        switch (shape.Type)
        {
            case "string" when shape.Enum is { } values:
                yield return ("not in the enum", "NotAnEnumValue", $"Value 'NotAnEnumValue' {at}Member must satisfy enum value set: [{string.Join(", ", values)}]", null);
                break;
            case "string":
                if (shape.Max is { } max)
                {
                    yield return ("too long", Pad(ModelValues.Sample(shape), max + 1), $"{echo}{at}Member must have length less than or equal to {max}", null);
                }

                if (shape.Min is > 0 and var min)
                {
                    yield return ("too short", ModelValues.Sample(shape)[..(min - 1)], $"{echo}{at}Member must have length greater than or equal to {min}", null);
                }

                if (shape.Pattern is { } pattern)
                {
                    yield return ("against the pattern", PatternBreaker(shape), $"{echo}{at}Member must satisfy regular expression pattern: {pattern}", null);
                }

                break;
            case "long":
                yield return ("below min", (long)shape.Min!.Value - 1, $"Value '{shape.Min - 1}' {at}Member must have value greater than or equal to {shape.Min}", null);
                yield return ("above max", (long)shape.Max!.Value + 1, $"Value '{shape.Max + 1}' {at}Member must have value less than or equal to {shape.Max}", null);
                break;
            case "integer":
                yield return ("below min", shape.Min!.Value - 1, $"Value '{shape.Min - 1}' {at}Member must have value greater than or equal to {shape.Min}", null);
                yield return ("above max", shape.Max!.Value + 1, $"Value '{shape.Max + 1}' {at}Member must have value less than or equal to {shape.Max}", null);
                break;
            case "list" or "map":
                if (shape.Max is { } maxItems)
                {
                    yield return ("too many items", Collection(slot, maxItems + 1), $"{at}Member must have length less than or equal to {maxItems}", Secret(slot));
                }

                if (shape.Min is > 0 and var minItems)
                {
                    yield return ("too few items", Collection(slot, minItems - 1), $"{at}Member must have length greater than or equal to {minItems}", Secret(slot));
                }

                break;
        }
    }

    private static IEnumerable<(string What, object? Value)> OnBounds(Slot slot)
    {
        var shape = slot.Shape;
        if (slot.Kind == SlotKind.Member && shape.Type == "integer")
        {
            yield return ("at min", shape.Min);
            yield return ("at max", shape.Max);
        }

        if (slot.Kind == SlotKind.Member && shape.Type == "long")
        {
            yield return ("at min", (long?)shape.Min);
            yield return ("at max", (long?)shape.Max);
        }

        if (shape.IsPlainString && shape.Max is { } max && Pad(ModelValues.Sample(shape), max) is var longest
            && (shape.Pattern is null || shape.JavaMatches(longest)))
        {
            yield return ("at max length", longest);
        }

        if (slot.Kind == SlotKind.Member && shape.Type is "list" or "map" && shape.Max is { } maxItems
            && (shape.Type == "list" || ModelValues.DistinctKeys(ModelValues.Key(shape), maxItems).All(k => Accepts(ModelValues.Key(shape), k))))
        {
            yield return ("at max items", Collection(slot, maxItems));
        }
    }

    private static object Collection(Slot slot, int count)
    {
        var shape = slot.Shape;
        var elementType = ModelValues.ElementType(slot.Type);
        return shape.Type == "list"
            ? ModelValues.NewList(slot.Type, Enumerable.Range(0, count).Select(_ => ModelValues.Valid(ModelValues.Item(shape), elementType)))
            : ModelValues.NewMap(slot.Type, ModelValues.DistinctKeys(ModelValues.Key(shape), count)
                .Select(k => (k, ModelValues.Valid(ModelValues.Value(shape), elementType))));
    }

    private static string? Secret(Slot slot) =>
        slot.Shape.Type == "map" && ModelValues.Value(slot.Shape).Sensitive ? ModelValues.Sample(ModelValues.Value(slot.Shape)) : null;

    private static IEnumerable<(string What, string Value)> BrokenStrings(ModelShape shape)
    {
        if (!shape.IsPlainString)
        {
            yield break;
        }

        if (shape.Max is { } max)
        {
            yield return ("too long", Pad(ModelValues.Sample(shape), max + 1));
        }

        if (shape.Min is > 0 and var min)
        {
            yield return ("too short", ModelValues.Sample(shape)[..(min - 1)]);
        }

        if (shape.Pattern is not null)
        {
            yield return ("against the pattern", PatternBreaker(shape));
        }
    }

    private static string PatternBreaker(ModelShape shape) =>
        new[] { "\u0001", " ", "#", "é", "\n" }.Select(s => ModelValues.Sample(shape) + s).First(v => !shape.JavaMatches(v));

    private static bool Accepts(ModelShape shape, string value) =>
        value.Length >= (shape.Min ?? 0) && value.Length <= (shape.Max ?? int.MaxValue) && (shape.Pattern is null || shape.JavaMatches(value));

    private static string Pad(string sample, int length) =>
        sample.Length >= length ? sample[..length] : sample + new string(sample[^1], length - sample.Length);

    /// <summary>
    /// The one place the broker is knowingly wider than the model: SupportedLoginProviders values may list several
    /// app/client ids comma-separated (docs/providers-social.md), which the model's <c>[\w.;_/-]+</c> would refuse.
    /// </summary>
    private static bool IsDocumentedDeviation(string? pattern, string probe) =>
        pattern == @"[\w.;_/-]+" && probe.Contains(',', StringComparison.Ordinal)
        && System.Text.RegularExpressions.Regex.IsMatch(probe, @"\A[a-zA-Z0-9_.;/-]+(?:,[a-zA-Z0-9_.;/-]+)*\z");

    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
