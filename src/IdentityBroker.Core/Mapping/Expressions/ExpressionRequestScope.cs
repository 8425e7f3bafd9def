namespace IdentityBroker.Mapping.Expressions;

/// <summary>
/// The request facts rules read (<c>request.sourceIp</c>, <c>request.userAgent</c>), flowing with the call's async context
/// from the edge that set them, as <c>CallAuditScope</c> does, so operation signatures need not carry them.
/// </summary>
public static class ExpressionRequestScope
{
    private static readonly AsyncLocal<ExpressionRequest?> Current = new();

    public static ExpressionRequest Request => Current.Value ?? ExpressionRequest.Unknown;

    public static void Begin(string? sourceIp, string? userAgent) =>
        Current.Value = new ExpressionRequest(sourceIp ?? string.Empty, userAgent ?? string.Empty);
}
