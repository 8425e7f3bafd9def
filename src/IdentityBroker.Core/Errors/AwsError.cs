namespace IdentityBroker.Errors;

/// <summary>An expected failure: the AWS error name, its message and the HTTP status the real service answers with.</summary>
public sealed record AwsError(string Type, string Message, int StatusCode = 400)
{
    /// <summary>Query-protocol errors say whether the caller (Sender) or the service (Receiver) is at fault.</summary>
    public bool IsSenderFault => StatusCode < 500;

    /// <summary>
    /// Why, as one word of a fixed set (a login token's failed check: <c>expired</c>, <c>signature</c>, …), for the metrics'
    /// failure reason; null when the type says enough. Never written to the reply.
    /// </summary>
    public string? Reason { get; init; }
    /// <summary>Set on a throttling refusal: when the caller may try again, written as <c>Retry-After</c> (whole seconds, at least 1).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The <c>Retry-After</c> header of a throttling refusal; none for other errors.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RetryHeaders() => RetryAfter is { } wait
        ? [new("Retry-After", Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture))]
        : [];
}

/// <summary>A value or an <see cref="AwsError"/>; failures travel as values and are written once, at the edge.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, AwsError? error)
    {
        _value = value;
        Error = error;
    }

    public AwsError? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"Result is a failure: {Error.Type}");

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(AwsError error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);

    public static implicit operator Result<T>(AwsError error) => Fail(error);
}

/// <summary>The unit value for operations with no output.</summary>
public sealed record Unit
{
    public static readonly Unit Value = new();

    private Unit()
    {
    }
}
