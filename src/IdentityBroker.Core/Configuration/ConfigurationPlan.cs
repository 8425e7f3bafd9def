using IdentityBroker.Storage;

namespace IdentityBroker.Configuration;

public enum ChangeAction
{
    Create,
    Update,
    Delete,
}

/// <summary>One resource the document changes: its kind (<see cref="ConfigurationChanges"/>' kinds), key, and the members that differ.</summary>
public sealed record ResourceChange(string Kind, string Name, ChangeAction Action, IReadOnlyList<string> Members);

/// <summary>A write-time check that refused the proposed state: the resource, and the error the API would answer.</summary>
public sealed record ConfigurationProblem(string Kind, string Name, string Code, string Message);

/// <summary>What a document would change, and whether the broker's write-time checks accept the result.</summary>
public sealed record ConfigurationPlan(
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyList<ConfigurationProblem> Problems,
    ConfigurationState Current,
    ConfigurationState Proposed)
{
    public bool IsValid => Problems.Count == 0;
}

public enum ApplyOutcome
{
    /// <summary>Nothing to change: the broker already is as the document says.</summary>
    NoChanges,

    Applied,

    /// <summary>A write-time check refused the document; nothing was written.</summary>
    Refused,

    /// <summary>Another writer changed a resource after the plan read it; see <see cref="ConfigurationApply.Write"/>.</summary>
    Interfered,
}

public sealed record ConfigurationApply(ApplyOutcome Outcome, ConfigurationPlan Plan, ConfigurationWrite? Write);
