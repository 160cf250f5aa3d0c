package opencti

//go:generate go tool genqlient
