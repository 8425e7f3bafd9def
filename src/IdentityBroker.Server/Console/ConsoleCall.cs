using Microsoft.Extensions.Primitives;

namespace IdentityBroker.Server.Console;

/// <summary>One signed-in console request: its session, the CSRF token its forms carry and, for a POST, the checked form.</summary>
public sealed record ConsoleCall(HttpContext Http, ConsoleSession Session, string Csrf, IReadOnlyDictionary<string, StringValues> Form)
{
    public const string ItemKey = "IdentityBroker.Console.Call";

    public CancellationToken Aborted => Http.RequestAborted;

    public static ConsoleCall Of(HttpContext http) =>
        (http ?? throw new ArgumentNullException(nameof(http))).Items[ItemKey] as ConsoleCall
        ?? throw new InvalidOperationException("A console page was reached without the console's session filter.");

    /// <summary>A single-valued form field, trimmed; null when absent, empty or repeated.</summary>
    public string? Field(string name) =>
        Form.TryGetValue(name, out var values) && values.Count == 1 && values[0] is { } v && v.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>A single-valued query parameter of at most 2048 characters, trimmed; null otherwise.</summary>
    public string? Query(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) && values.Count == 1 && values[0] is { Length: <= 2048 } v && v.Trim() is { Length: > 0 } t
            ? t
            : null;
}
