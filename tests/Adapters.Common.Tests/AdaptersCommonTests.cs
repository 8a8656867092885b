namespace OpenClaw.Channels.Adapters.Tests;

public sealed class AdaptersCommonTests
{
    [Fact]
    public void AssemblyName_IsTheLoadedAssemblysName()
    {
        Assert.Equal(AdaptersCommon.AssemblyName, typeof(AdaptersCommon).Assembly.GetName().Name);
    }
}
