using IdentityBroker.UserPools.Codes;

namespace IdentityBroker.Tests.UserPools.Codes;

/// <summary>A code store for unit tests of the code rules; the real stores run the same rules in the contract suite.</summary>
internal sealed class InMemoryCodeStore : IOneTimeCodeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), StoredCode> _codes = [];

    public IReadOnlyList<StoredCode> Stored
    {
        get
        {
            lock (_gate)
            {
                return [.. _codes.Values];
            }
        }
    }

    public Task PutCodeAsync(string userPoolId, StoredCode code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _codes[(userPoolId, code.Key)] = code;
        }

        return Task.CompletedTask;
    }

    public Task<CodeAttempt> TakeCodeAttemptAsync(string userPoolId, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_codes.TryGetValue((userPoolId, key), out var code))
            {
                return Task.FromResult(new CodeAttempt(CodeAttemptStatus.Missing, null));
            }

            if (code.ExpiresAt <= now)
            {
                return Task.FromResult(new CodeAttempt(CodeAttemptStatus.Expired, null));
            }

            if (code.AttemptsLeft <= 0)
            {
                return Task.FromResult(new CodeAttempt(CodeAttemptStatus.Exhausted, null));
            }

            _codes[(userPoolId, key)] = code with { AttemptsLeft = code.AttemptsLeft - 1 };
            return Task.FromResult(new CodeAttempt(CodeAttemptStatus.Taken, code));
        }
    }

    public Task<bool> ConsumeCodeAsync(string userPoolId, string key, string codeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var found = _codes.TryGetValue((userPoolId, key), out var code) && code.CodeId == codeId;
            return Task.FromResult(found && _codes.Remove((userPoolId, key)));
        }
    }

    public Task DeleteCodeAsync(string userPoolId, string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _codes.Remove((userPoolId, key));
        }

        return Task.CompletedTask;
    }
}
