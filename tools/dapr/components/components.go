/*
Copyright 2021 The Dapr Authors
Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at
    http://www.apache.org/licenses/LICENSE-2.0
Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// The Todo Chatbot's component selection for daprd.
//
// Upstream daprd registers its components in github.com/dapr/dapr/cmd/daprd/components,
// one file per component, each behind the build tag "allcomponents" (or
// "stablecomponents"), so its only choices are all ~135 components or none
// (zz_notag.go panics). Our own daprd main (../cmd/daprd) imports this package
// instead, so the binary links only the components below; the registrations are
// copied from the upstream per-component files. To add a component, copy its
// init() from the upstream file of the same name (cmd/daprd/components/*.go).
package components

import (
	nrkubernetes "github.com/dapr/components-contrib/nameresolution/kubernetes"
	mdns "github.com/dapr/components-contrib/nameresolution/mdns"
	"github.com/dapr/components-contrib/pubsub/kafka"
	"github.com/dapr/components-contrib/secretstores/kubernetes"
	"github.com/dapr/components-contrib/secretstores/local/env"
	"github.com/dapr/components-contrib/secretstores/local/file"
	pgv1 "github.com/dapr/components-contrib/state/postgresql/v1"
	pgv2 "github.com/dapr/components-contrib/state/postgresql/v2"
	"github.com/dapr/dapr/pkg/components"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
	pubsubLoader "github.com/dapr/dapr/pkg/components/pubsub"
	secretstoresLoader "github.com/dapr/dapr/pkg/components/secretstores"
	stateLoader "github.com/dapr/dapr/pkg/components/state"
)

func init() {
	// pubsub.kafka (also serves Redpanda)
	pubsubLoader.DefaultRegistry.RegisterComponent(kafka.NewKafka, "kafka")

	// state.postgresql, v1 (default) and v2
	pg := components.Versioning{
		Preferred: components.VersionConstructor{Version: "v2", Constructor: pgv2.NewPostgreSQLStateStore},
		Others:    []components.VersionConstructor{{Version: "v1", Constructor: pgv1.NewPostgreSQLStateStore}},
		Default:   "v1",
	}
	stateLoader.DefaultRegistry.RegisterComponentWithVersions("postgresql", pg)
	stateLoader.DefaultRegistry.RegisterComponentWithVersions("postgres", pg)

	// secretstores.local.file, secretstores.local.env, secretstores.kubernetes
	secretstoresLoader.DefaultRegistry.RegisterComponent(file.NewLocalSecretStore, "local.file")
	secretstoresLoader.DefaultRegistry.RegisterComponent(env.NewEnvSecretStore, "local.env")
	secretstoresLoader.DefaultRegistry.RegisterComponent(kubernetes.NewKubernetesSecretStore, "kubernetes")

	// name resolution: mdns is the self-hosted default, kubernetes the in-cluster one
	nrLoader.DefaultRegistry.RegisterComponent(mdns.NewResolver, "mdns")
	nrLoader.DefaultRegistry.RegisterComponent(nrkubernetes.NewResolver, "kubernetes")
}
