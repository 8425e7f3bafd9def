using IdentityBroker.Errors;

namespace IdentityBroker.Protocol.Query;

/// <summary>The errors of the AWS Query front end itself, before any action runs.</summary>
public static class QueryErrors
{
    /// <summary>IAM's and STS's words for an action the version does not have (or a version the endpoint does not know).</summary>
    public static AwsError InvalidAction(string action, string? version) =>
        new("InvalidAction", $"Could not find operation {Printable(action)} for version {Printable(version ?? "NO_VERSION_SPECIFIED")}");

    /// <summary>Request values are echoed only when they cannot carry anything but a name.</summary>
    private static string Printable(string value) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? value : "(not shown)";
}
