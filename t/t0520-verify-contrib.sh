#!/bin/sh

test_description='contrib/verify: kubectl rollout status, helm status and
argocd app wait --health as verify commands, with recording stand-ins'

. ./test-lib.sh
. "$SHARNESS_TEST_DIRECTORY"/lib-verify.sh

VERIFY="$SHARNESS_BUILD_DIRECTORY/contrib/verify"

# tool <name> <script>: a stand-in that logs its arguments, then runs script
tool () {
	{
		printf "#!/bin/sh\n" &&
		printf "printf \"%%s|\" %s \"\$@\" >>\"\$TRASH_DIRECTORY/tools.log\"\n" "$1" &&
		printf "echo >>\"\$TRASH_DIRECTORY/tools.log\"\n" &&
		printf "%s\n" "$2"
	} >"$TRASH_DIRECTORY/bin/$1" &&
	chmod +x "$TRASH_DIRECTORY/bin/$1"
}

test_expect_success 'setup' '
	setup_verify &&
	git config --unset deploy.production.command &&
	mkdir "$TRASH_DIRECTORY/bin" &&
	PATH="$TRASH_DIRECTORY/bin:$PATH" &&
	export PATH
'

test_expect_success 'kubectl.sh: rollout status, then the image it runs' '
	rm -f "$TRASH_DIRECTORY/tools.log" &&
	tool kubectl "case \$* in *get*) printf reg.example.com/shop:v1.2.2;; esac" &&
	KUBE_IMAGE=reg.example.com/shop KUBE_DEPLOYMENT=web \
	git -c deploy.production.verifyCommand="sh $VERIFY/kubectl.sh" \
		release deploy v1.2.2 >out 2>err &&
	cat >expect <<-\EOF &&
	kubectl|--namespace|production|rollout|status|deployment/web|--timeout|30s|
	kubectl|--namespace|production|get|deployment/web|-o|jsonpath={.spec.template.spec.containers[?(@.name=="web")].image}|
	EOF
	test_cmp expect "$TRASH_DIRECTORY/tools.log" &&
	test "$(entry_field 0 Verify)" = passed
'

test_expect_success 'kubectl.sh: another image fails verification, and says which' '
	rm -f "$TRASH_DIRECTORY/tools.log" &&
	tool kubectl "case \$* in *get*) printf reg.example.com/shop:v1.2.2;; esac" &&
	test_expect_code 1 env KUBE_IMAGE=reg.example.com/shop \
	git -c deploy.production.verifyCommand="sh $VERIFY/kubectl.sh" \
		-c deploy.production.verifyTimeout=1s \
		release deploy v1.2.3 --no-rollback-on-failure >out 2>err &&
	test "$(entry_field 0 Status)" = failed &&
	entry_field 0 Verify-Output >actual &&
	grep "^deployment/app runs .reg.example.com/shop:v1.2.2., not .reg.example.com/shop:v1.2.3.\$" actual
'

test_expect_success 'kubectl.sh: a rollout that does not finish fails' '
	tool kubectl "echo error: timed out waiting for the condition >&2; exit 1" &&
	test_expect_code 1 git -c deploy.production.verifyCommand="sh $VERIFY/kubectl.sh" \
		-c deploy.production.verifyTimeout=1s \
		release deploy v1.2.3 >out 2>err &&
	test "$(entry_field 0 Verify-Output)" = "error: timed out waiting for the condition"
'

test_expect_success 'helm.sh: helm status --output json says deployed' '
	rm -f "$TRASH_DIRECTORY/tools.log" &&
	tool helm "printf %s \"{\\\"name\\\":\\\"shop\\\",\\\"info\\\":{\\\"first_deployed\\\":\\\"x\\\",\\\"status\\\":\\\"deployed\\\"},\\\"version\\\":3}\"" &&
	HELM_RELEASE=shop git -c deploy.production.verifyCommand="sh $VERIFY/helm.sh" \
		release deploy v1.2.3 >out 2>err &&
	echo "helm|status|shop|--namespace|production|--output|json|" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/tools.log" &&
	test "$(entry_field 0 Verify)" = passed
'

test_expect_success 'helm.sh: a failed release fails verification' '
	tool helm "printf %s \"{\\\"info\\\":{\\\"status\\\":\\\"failed\\\"}}\"" &&
	test_expect_code 1 git -c deploy.production.verifyCommand="sh $VERIFY/helm.sh" \
		-c deploy.production.verifyTimeout=1s \
		release deploy v1.2.4 --no-rollback-on-failure >out 2>err &&
	entry_field 0 Verify-Output >actual &&
	grep "^helm release .app. is .failed., not deployed\$" actual
'

test_expect_success 'argocd.sh: app wait --health, passing on the second attempt' '
	rm -f "$TRASH_DIRECTORY/tools.log" &&
	tool argocd "test \$VERIFY_ATTEMPT -ge 2 || { echo application shop-qa is Degraded; exit 20; }" &&
	git config deploy.qa.verifyInterval 10ms &&
	git -c deploy.qa.verifyCommand="sh $VERIFY/argocd.sh" \
		release deploy v1.2.3 --env qa >out 2>err &&
	printf "argocd|app|wait|app-qa|--health|--timeout|30|\n%s\n" \
		"argocd|app|wait|app-qa|--health|--timeout|30|" >expect &&
	test_cmp expect "$TRASH_DIRECTORY/tools.log" &&
	test "$(entry_field 0 Verify-Attempts qa)" = 2 &&
	grep "application shop-qa is Degraded" err
'

test_done
