using IdentityBroker.Errors;
using IdentityBroker.UserPools.Tokens;

namespace IdentityBroker.UserPools.Sessions;

/// <summary>RevokeToken's input once validated (Token and ClientId are required by the model).</summary>
public sealed record RevokeTokenCommand(string Token, string ClientId, string? ClientSecret);

/// <summary>The session operations served now: RevokeToken (unsigned) and GlobalSignOut (access token).</summary>
public sealed class UserPoolSessionOperations(UserPoolSessions sessions)
{
    public Task<Result<Unit>> RevokeTokenAsync(RevokeTokenCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return sessions.RevokeAsync(command.Token, command.ClientId, command.ClientSecret, cancellationToken);
    }

    /// <summary>Signs the user out of every session: their access, ID (with ServerSideTokenCheck) and refresh tokens stop working.</summary>
    public async Task<Result<Unit>> GlobalSignOutAsync(AuthenticatedAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        await sessions.SignOutUserAsync(access.UserPoolId, access.Sub, cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
