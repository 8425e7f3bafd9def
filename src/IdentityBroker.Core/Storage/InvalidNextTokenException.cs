namespace IdentityBroker.Storage;

/// <summary>
/// A listing was given a NextToken the store did not issue (or cannot read). The token is client input, so the
/// caller maps this to <c>InvalidParameterException</c>; the store throws it instead of a parser or database error.
/// </summary>
public sealed class InvalidNextTokenException : Exception
{
    public InvalidNextTokenException()
        : base("The pagination token is invalid.")
    {
    }

    public InvalidNextTokenException(string message)
        : base(message)
    {
    }

    public InvalidNextTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
