namespace IdentityBroker.Pools;

/// <summary>
/// One expression rule of a pool (a broker extension next to RoleMappings; docs/expression-rules.md): a CEL condition over the
/// login's claims, the provider, the identity, the request and the time; the role it grants (an ARN, or a CEL expression
/// producing one); session tags as CEL expressions; an optional session policy and duration. Stored as written.
/// </summary>
public sealed record ExpressionRule
{
    public string? Condition { get; init; }

    /// <summary>A role ARN (starts with <c>arn:</c>) or a CEL expression that produces one.</summary>
    public string? Role { get; init; }

    /// <summary>Session-tag key → CEL expression producing the tag's value.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>An inline session policy, intersected with the role's policies as the guest scope-down is.</summary>
    public string? SessionPolicy { get; init; }

    public int? DurationSeconds { get; init; }

    public bool HasLiteralRole => Role is { } role && role.StartsWith("arn:", StringComparison.Ordinal);
}
