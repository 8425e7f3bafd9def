using IdentityBroker.UserPools.CompromisedPasswords;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IdentityBroker.Tests.UserPools.CompromisedPasswords;

/// <summary>The local-file source over temp files in both layouts.</summary>
public sealed class PwnedPasswordsFileTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("pwned-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string SortedFile(IEnumerable<string> lines, string newline = "\n")
    {
        var path = Path.Combine(_dir, "pwned-passwords-sha1-ordered-by-hash.txt");
        File.WriteAllText(path, string.Join(newline, lines.Order(StringComparer.Ordinal)) + newline);
        return path;
    }

    private static ValueTask<CompromisedVerdict> Lookup(string path, string sha1) => new PwnedPasswordsFile(path).LookupAsync(sha1, default);

    [Test]
    public async Task Sorted_file_finds_every_listed_hash_and_no_other()
    {
        var listed = PwnedSha1.Random(3_000).ToList();
        var path = SortedFile(listed.Select((h, i) => h + ":" + (i + 1)));

        foreach (var hash in listed.Order(StringComparer.Ordinal).Where((_, i) => i % 97 == 0).Append(listed.Min()!).Append(listed.Max()!))
        {
            Assert.That(await Lookup(path, hash), Is.EqualTo(CompromisedVerdict.Compromised), hash);
        }

        foreach (var hash in PwnedSha1.Random(200, [.. listed]).Append("0000000000000000000000000000000000000000").Append(new string('F', 40)))
        {
            Assert.That(await Lookup(path, hash), Is.EqualTo(CompromisedVerdict.NotFound), hash);
        }
    }

    [Test]
    public async Task Sorted_file_with_CRLF_lines_and_a_lower_case_query_works()
    {
        var sha1 = PwnedSha1.Of("hunter2");
        var path = SortedFile(PwnedSha1.Random(500, sha1).Select(h => h + ":4").Append(sha1 + ":17043"), "\r\n");
        Assert.That(await Lookup(path, sha1.ToLowerInvariant()), Is.EqualTo(CompromisedVerdict.Compromised));
    }

    [Test]
    public async Task Sorted_file_of_one_line_is_searched()
    {
        var sha1 = PwnedSha1.Of("hunter2");
        var path = SortedFile([sha1 + ":1"]);
        Assert.That(await Lookup(path, sha1), Is.EqualTo(CompromisedVerdict.Compromised));
        Assert.That(await Lookup(path, PwnedSha1.Of("hunter3")), Is.EqualTo(CompromisedVerdict.NotFound));
    }

    [Test]
    public async Task Sorted_file_line_with_count_zero_is_not_a_breach()
    {
        var sha1 = PwnedSha1.Of("hunter2");
        var path = SortedFile(PwnedSha1.Random(100, sha1).Select(h => h + ":2").Append(sha1 + ":0"));
        Assert.That(await Lookup(path, sha1), Is.EqualTo(CompromisedVerdict.NotFound));
    }

    [Test]
    public async Task Range_directory_finds_the_suffix_in_the_prefix_file()
    {
        var sha1 = PwnedSha1.Of("hunter2");
        File.WriteAllText(Path.Combine(_dir, sha1[..5] + ".txt"), "00000000000000000000000000000000001:3\r\n" + sha1[5..] + ":17043\r\n");
        Assert.That(await Lookup(_dir, sha1), Is.EqualTo(CompromisedVerdict.Compromised));
    }

    [Test]
    public async Task Range_directory_files_without_extension_are_read()
    {
        var sha1 = PwnedSha1.Of("hunter2");
        File.WriteAllText(Path.Combine(_dir, sha1[..5]), "00000000000000000000000000000000001:3\n");
        Assert.That(await Lookup(_dir, sha1), Is.EqualTo(CompromisedVerdict.NotFound));
    }

    [Test]
    public async Task Range_file_missing_from_the_directory_is_unavailable_not_clean() =>
        Assert.That(await Lookup(_dir, PwnedSha1.Of("hunter2")), Is.EqualTo(CompromisedVerdict.Unavailable));

    [Test]
    public async Task Check_from_options_blocks_a_password_listed_in_the_file()
    {
        var sha1 = PwnedSha1.Of("hunter2");
        var path = SortedFile(PwnedSha1.Random(100, sha1).Select(h => h + ":2").Append(sha1 + ":9"));
        var check = new CompromisedPasswordCheck(Options.Create(new CompromisedPasswordsOptions { File = path }), null!, NullLoggerFactory.Instance, new FakeTimeProvider());

        Assert.That((await check.CheckAsync("hunter2", default)).Block, Is.True);
        Assert.That((await check.CheckAsync("hunter3", default)).Block, Is.False);
    }

    [Test]
    public void Check_without_sources_says_so() =>
        Assert.That(new CompromisedPasswordCheck(Options.Create(new CompromisedPasswordsOptions()), null!, NullLoggerFactory.Instance, new FakeTimeProvider()).HasSources, Is.False);
}
