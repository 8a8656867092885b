using OpenClaw.Channels.Hub;

await HubHost.Create(args).RunAsync();
