using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace IdentityBroker.Federation.Jwt;

/// <summary>
/// <see cref="TokenClaims.Flatten(byte[])"/> of a validated payload, built on first read: GetId reads no claim, so it
/// does not pay for the map; role mapping and principal tags get the same map as before.
/// </summary>
internal sealed class LazyTokenClaims(byte[] payload) : IReadOnlyDictionary<string, IReadOnlyList<string>>
{
    private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> _claims = new(() => TokenClaims.Flatten(payload));

    /// <summary>The validated payload itself, for expression rules (arrays and nested objects as the token has them).</summary>
    public byte[] Payload => payload;

    public IReadOnlyList<string> this[string key] => _claims.Value[key];

    public IEnumerable<string> Keys => _claims.Value.Keys;

    public IEnumerable<IReadOnlyList<string>> Values => _claims.Value.Values;

    public int Count => _claims.Value.Count;

    public bool ContainsKey(string key) => _claims.Value.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<string> value) => _claims.Value.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator() => _claims.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
