using ServiceReach.Api.Infrastructure;

namespace ServiceReach.Api.Tests;

/// <summary>Stored key entries are salted SHA-256 (vectors computed with Python's hashlib), never the key itself.</summary>
public sealed class ApiKeysTests
{
    [Fact]
    public void Entry_is_name_salt_and_sha256_of_salt_then_utf8_key()
    {
        Assert.Equal("tests:00112233445566778899AABBCCDDEEFF:3C92CADEBC7BE39C16BE9EDE49B5AE1CFF34F0C92418F46C52A61241901F5AF5",
            ApiKeys.Hash("tests", "test-key-0123456789", Convert.FromHexString("00112233445566778899AABBCCDDEEFF")));
        Assert.Equal("gemeente:0A0B:7BEBE0F09ADC571DCDC9A5C3A095F983CC90D27FC1A179DCCC471B84BD18E51F",
            ApiKeys.Hash("gemeente", "sleutel-é", [0x0A, 0x0B]));
    }

    [Fact]
    public void Verify_finds_the_matching_key_only()
    {
        var keys = new ApiKeys([ApiKeys.Hash("a", "alpha-key"), ApiKeys.Hash("b", "beta-key")]);
        Assert.Equal("a", keys.Verify("alpha-key"));
        Assert.Equal("b", keys.Verify("beta-key"));
        Assert.Null(keys.Verify("alpha-key "));
        Assert.Null(keys.Verify(""));
        Assert.Null(keys.Verify(null));
        Assert.Null(keys.Verify(new string('x', 10_000)));
        // Fresh salts: the same key never gives the same entry twice.
        Assert.NotEqual(ApiKeys.Hash("a", "k"), ApiKeys.Hash("a", "k"));
    }

    [Theory]
    [InlineData("plain-key-in-config")]
    [InlineData("name:zz:00")]
    [InlineData("name:00:0011")]
    public void Bad_entries_fail_at_start_with_a_clear_message(string entry)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ApiKeys([entry]));
        Assert.Contains("name:saltHex:sha256Hex", ex.Message);
        Assert.DoesNotContain(entry, ex.Message.Replace("name:saltHex:sha256Hex", "", StringComparison.Ordinal));
    }
}
