namespace ServiceReach.DemoRegion.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => Assert.True(true);
}
