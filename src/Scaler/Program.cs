using StarGuide.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Pools, drivers and the decision loop come with the scaler's own issue; the host, bus and endpoints are here.
builder.AddMessageBus(ResourceNames.Scaler);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
